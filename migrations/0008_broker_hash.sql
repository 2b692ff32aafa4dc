-- A second hash of each device password, in Mosquitto's password-file format (PBKDF2-SHA512,
-- "$7$iterations$salt$hash"), so `npm run mqtt:acl` can write Mosquitto's files without ever
-- holding a plain password. Devices registered before this migration need a new password for Mosquitto.
alter table devices add column broker_hash text;
