-- Retiring a device keeps its row, so the events and incidents that name it keep their history; a
-- retired device can no longer log in (the broker and `npm run mqtt:acl` skip it) and its id is not reused.
alter table devices add column retired_at timestamptz;
