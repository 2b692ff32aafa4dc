-- Elderly clients' households, their home-care devices, what the devices said, and the incidents
-- dispatchers work on. Personal data (name, phone, address, contacts) lives only in households.
create table households (
	id bigint generated always as identity primary key,
	external_id text not null unique,
	district_code text not null references regions (code),
	community_code text references regions (code),
	resident_name text not null,
	phone text,
	address text,
	location geometry(Point, 4326) not null,
	risk_level text not null default 'medium' check (risk_level in ('low', 'medium', 'high')),
	emergency_contacts jsonb not null default '[]'::jsonb,
	consent boolean not null default false,
	created_at timestamptz not null default now()
);

create index households_location_idx on households using gist (location);
create index households_community_idx on households (community_code);

create table devices (
	id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$'),
	household_id bigint not null references households (id),
	kind text not null check (
		kind in ('sos_button', 'fall_detector', 'smoke', 'gas', 'water_leak', 'door', 'inactivity', 'bed_vitals', 'gps_watch')
	),
	-- scrypt hash of the device's MQTT password; the password itself is never stored.
	credential_hash text not null,
	firmware text,
	battery real check (battery is null or battery between 0 and 100),
	rssi integer,
	heartbeat_s integer not null default 300 check (heartbeat_s between 10 and 86400),
	last_seen timestamptz,
	online boolean not null default false,
	created_at timestamptz not null default now()
);

create index devices_household_idx on devices (household_id);

-- Every event a device reported, stored once: a redelivered or twice-received message hits the key.
create table device_events (
	device_id text not null references devices (id),
	event_id text not null,
	type text not null,
	occurred_at timestamptz not null,
	received_at timestamptz not null default now(),
	payload jsonb not null,
	incident_id bigint,
	primary key (device_id, event_id)
);

-- Messages that could not be accepted, kept byte for byte with the reason, for operators.
create table dead_letters (
	id bigint generated always as identity primary key,
	received_at timestamptz not null default now(),
	topic text not null,
	client_id text,
	payload bytea not null,
	reason text not null
);

create index dead_letters_received_idx on dead_letters (received_at desc);

create table incidents (
	id bigint generated always as identity primary key,
	household_id bigint not null references households (id),
	district_code text not null references regions (code),
	community_code text references regions (code),
	kind text not null,
	severity text not null check (severity in ('critical', 'high', 'medium', 'low')),
	state text not null default 'new' check (
		state in ('new', 'acknowledged', 'assigned', 'en_route', 'on_scene', 'escalated', 'resolved', 'false_alarm')
	),
	kinds text[] not null,
	alert_count integer not null default 1 check (alert_count > 0),
	location geometry(Point, 4326) not null,
	opened_at timestamptz not null default now(),
	last_alert_at timestamptz not null default now(),
	closed_at timestamptz,
	outcome text,
	updated_at timestamptz not null default now()
);

-- One open incident per household, enforced by the database so concurrent messages cannot open two.
create unique index incidents_one_open_per_household_idx on incidents (household_id)
	where state not in ('resolved', 'false_alarm');
create index incidents_open_idx on incidents (district_code, state) where state not in ('resolved', 'false_alarm');

-- The timeline: every alert attached and every transition, with who did it.
create table incident_events (
	id bigint generated always as identity primary key,
	incident_id bigint not null references incidents (id),
	at timestamptz not null default now(),
	actor text not null,
	action text not null,
	from_state text,
	to_state text,
	detail jsonb not null default '{}'::jsonb
);

create index incident_events_incident_idx on incident_events (incident_id, at);
