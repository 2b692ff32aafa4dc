-- Supervision of silent devices: when a device was last declared out of contact. Cleared when it
-- reports again, so each silence raises one alert.
alter table devices add column lost_contact_at timestamptz;
create index devices_supervision_idx on devices (last_seen) where lost_contact_at is null;
