-- /metrics counts SLA breaches (the timers' escalations) on every scrape of every node: a small
-- partial index keeps that count from reading the whole, ever-growing incident timeline.
create index incident_events_sla_breaches on incident_events ((detail ->> 'missed'))
	where action = 'escalate' and actor = 'sla-timer';
