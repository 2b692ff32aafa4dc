-- A responder's account names the responder it is, so it may report duty, position and progress
-- only as that responder (src/lib/server/auth/policy.ts, actsAsSelf).
alter table users add column responder_id bigint references responders (id);
