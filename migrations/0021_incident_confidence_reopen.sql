-- How sure an incident is that someone needs help (one sensor, or signals that agree); when it last
-- became critical and unanswered, which the answer-time KPI counts from; when a more urgent alert
-- put an acknowledged incident back to be answered again.
alter table incidents
	add column confidence text not null default 'medium' check (confidence in ('low', 'medium', 'high')),
	add column critical_since timestamptz,
	add column reopened_at timestamptz;

update incidents set critical_since = opened_at where severity = 'critical';

create index incidents_critical_since_idx on incidents (district_code, critical_since)
	where critical_since is not null;

-- How far up the territory's ladder an unanswered incident of each severity climbs (an index into
-- grid worker, community station, street care centre, district duty desk, emergency number): a
-- low battery never reaches the emergency number.
alter table sla_targets
	add column top_tier integer not null default 4 check (top_tier between 0 and 4);

update sla_targets set top_tier = case severity
	when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end;

-- The home's door: its latest state corroborates a fall or inactivity (nobody went out).
create index device_events_door_idx on device_events (device_id, occurred_at desc)
	where type in ('door_open', 'door_closed');
