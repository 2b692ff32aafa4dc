-- Responders and dispatch: who can go to a home, where they are, and which incident they were
-- offered. SLA timers and the escalation ladder are kept on the incident itself.
create table responders (
	id bigint generated always as identity primary key,
	external_id text not null unique,
	district_code text not null references regions (code),
	name text not null,
	phone text,
	role text not null check (role in ('grid_worker', 'station_staff', 'volunteer', 'street_centre_staff', 'duty_desk')),
	-- The territory: a community for grid workers and station staff, a street for street centre staff.
	community_code text references regions (code),
	street_code text references regions (code),
	skills text[] not null default '{}',
	-- The daily shift in Asia/Shanghai local time; a shift may run past midnight (22:00–06:00).
	shift_start time not null default '00:00',
	shift_end time not null default '24:00',
	status text not null default 'available' check (status in ('available', 'busy', 'off')),
	location geometry(Point, 4326),
	position_at timestamptz,
	updated_at timestamptz not null default now()
);

create index responders_district_idx on responders (district_code, status);

create table incident_assignments (
	id bigint generated always as identity primary key,
	incident_id bigint not null references incidents (id),
	responder_id bigint not null references responders (id),
	assigned_by text not null,
	offered_at timestamptz not null default now(),
	accept_by timestamptz not null,
	state text not null default 'offered'
		check (state in ('offered', 'accepted', 'declined', 'timed_out', 'cancelled', 'completed')),
	answered_at timestamptz,
	walking_seconds double precision,
	method text check (method in ('network', 'straight_line'))
);

-- One live offer or job per incident and per responder: two dispatchers cannot assign one alert
-- twice, and nobody is sent to two homes at once, whatever the timing.
create unique index incident_assignments_one_live_per_incident_idx on incident_assignments (incident_id)
	where state in ('offered', 'accepted');
create unique index incident_assignments_one_live_per_responder_idx on incident_assignments (responder_id)
	where state in ('offered', 'accepted');
create index incident_assignments_accept_by_idx on incident_assignments (accept_by) where state = 'offered';

alter table incidents
	add column acknowledged_at timestamptz,
	add column escalation_level integer not null default 0 check (escalation_level between 0 and 4),
	add column sla_kind text check (sla_kind in ('ack', 'on_scene')),
	add column sla_due_at timestamptz;

-- The SLA per severity, in the database so that every process's SQL reads the same targets. The
-- platform writes SLA_ACK_S and SLA_ON_SCENE_S here at start; these are the defaults.
create table sla_targets (
	severity text primary key check (severity in ('critical', 'high', 'medium', 'low')),
	ack_s integer not null check (ack_s > 0),
	on_scene_s integer not null check (on_scene_s > 0)
);

insert into sla_targets (severity, ack_s, on_scene_s) values
	('critical', 60, 900), ('high', 180, 1800), ('medium', 600, 3600), ('low', 1800, 7200);

-- Incidents opened before this migration get the acknowledge timer they would have had.
update incidents i set sla_kind = 'ack', sla_due_at = i.opened_at + make_interval(secs => t.ack_s)
	from sla_targets t where t.severity = i.severity and i.state in ('new', 'escalated');

create index incidents_sla_due_idx on incidents (sla_due_at) where sla_kind is not null;
