-- Dead letters keep a prefix of a long payload and its original size, and say what kind of fault
-- each is, so operators can filter by it and /metrics can count per kind.

-- A payload is kept whole up to 4 KiB, enough to see what went wrong; beyond that only its first
-- 4 KiB. The trigger covers every writer (ingest batches, the embedded broker's refusals).
alter table dead_letters add column payload_size integer;
update dead_letters set payload_size = length(payload), payload = substring(payload from 1 for 4096);
alter table dead_letters alter column payload_size set not null;

create function dead_letters_keep_prefix() returns trigger language plpgsql as $$
begin
	new.payload_size := length(new.payload);
	new.payload := substring(new.payload from 1 for 4096);
	return new;
end
$$;

create trigger dead_letters_keep_prefix before insert on dead_letters
	for each row execute function dead_letters_keep_prefix();

-- The kind of fault, from the reason's wording (src/lib/mqtt/contract.ts validateUplink,
-- src/lib/server/ingest/ingest-worker.ts, src/lib/server/mqtt/device-acl.ts); the kinds are listed in
-- src/lib/server/ingest/dead-letters.ts.
alter table dead_letters add column reason_kind text generated always as (
	case
		when reason ~ '^payload of \d+ bytes exceeds' then 'oversized'
		when reason like 'payload is not UTF-8 JSON%' then 'not_json'
		when reason ~ '^(event|telemetry|status) \S+: ' then 'schema'
		when reason like 'topic %' then 'topic'
		when reason like 'unknown device %' then 'unknown_device'
		when reason ~ '^device \S+ belongs to district' then 'wrong_district'
		when reason ~ '^device \S+ may not publish as device' then 'foreign_device'
		when reason like 'could not be stored%' then 'not_stored'
		else 'other'
	end
) stored;

create index dead_letters_kind_idx on dead_letters (reason_kind, id desc);
