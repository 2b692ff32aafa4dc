-- An incident's outcome is one of the codes of src/lib/alerts/outcomes.ts (or none while it is
-- open; the list below mirrors it, and tests/integration/incident-refusals.test.ts checks they agree),
-- and a false alarm says so. Older rows that do not are corrected first, each correction
-- written on its incident's timeline with what was there before: a false alarm gets `false_alarm`,
-- any other unknown code is cleared (nobody can tell now what it meant).
with wrong as (
	select id, outcome, case when state = 'false_alarm' then 'false_alarm' end as corrected
	from incidents
	where (outcome is not null and outcome not in (
			'false_alarm', 'resolved_by_phone', 'home_visit', 'sent_to_hospital', 'referred_to_emergency', 'no_access'))
		or (state = 'false_alarm' and outcome is distinct from 'false_alarm')
),
corrected as (
	update incidents i set outcome = wrong.corrected, updated_at = now()
	from wrong where i.id = wrong.id
	returning i.id, wrong.outcome as was, wrong.corrected
)
insert into incident_events (incident_id, actor, action, detail)
select id, 'platform', 'outcome_corrected', jsonb_build_object('from', was, 'to', corrected)
from corrected order by id;

alter table incidents
	add constraint incidents_outcome_known check (outcome is null or outcome in (
		'false_alarm', 'resolved_by_phone', 'home_visit', 'sent_to_hospital', 'referred_to_emergency', 'no_access')),
	add constraint incidents_false_alarm_outcome check (state <> 'false_alarm' or outcome = 'false_alarm');

-- The timeline is the record of what happened and who did it: append-only, like the audit log.
create function incident_events_is_append_only() returns trigger language plpgsql as $$
begin
	raise exception 'incident_events is append-only: % is not allowed (write a new timeline entry instead)', tg_op
		using errcode = 'insufficient_privilege';
end;
$$;

create trigger incident_events_no_update before update or delete on incident_events
	for each row execute function incident_events_is_append_only();
create trigger incident_events_no_truncate before truncate on incident_events
	for each statement execute function incident_events_is_append_only();
