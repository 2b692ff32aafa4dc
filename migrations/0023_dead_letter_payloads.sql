-- Dead letters keep every payload the contract admits whole: up to 16 KiB (MAX_PAYLOAD_BYTES in
-- src/lib/mqtt/contract.ts, KEPT_PAYLOAD_BYTES in src/lib/server/ingest/dead-letters.ts), where
-- migration 0022 cut them at 4 KiB. A longer one (an oversized payload, a publish the embedded broker
-- refused) keeps its first 16 KiB and its original size. Rows cut before stay as they are.
create or replace function dead_letters_keep_prefix() returns trigger language plpgsql as $$
begin
	new.payload_size := length(new.payload);
	new.payload := substring(new.payload from 1 for 16384);
	return new;
end
$$;

-- The time of the latest status message applied to each device (its `at`, or when it arrived if it
-- has none, never later than that): a status not newer than this is ignored, so an old "online"
-- delivered again after the last will's "offline" does not bring the device back
-- (src/lib/server/ingest/store-uplink.ts, storeStatus).
alter table devices add column status_at timestamptz;
