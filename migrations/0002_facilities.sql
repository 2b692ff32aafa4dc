-- Eldercare facilities: the district centre, street care centres, community stations,
-- institutions and medical points, with beds and a life cycle (planned -> building -> open -> closed).
create table facilities (
	id bigint generated always as identity primary key,
	external_id text not null unique,
	name text not null,
	kind text not null check (
		kind in ('district_centre', 'street_care_centre', 'community_station', 'institution', 'medical')
	),
	status text not null default 'open' check (status in ('planned', 'building', 'open', 'closed')),
	beds integer not null default 0 check (beds >= 0),
	nursing_beds integer not null default 0 check (nursing_beds >= 0 and nursing_beds <= beds),
	opened_on date,
	closed_on date,
	region_code text references regions (code),
	address text,
	geom geometry(Point, 4326) not null,
	location_source text not null,
	location_precision_m integer check (location_precision_m > 0),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

create index facilities_geom_idx on facilities using gist (geom);
create index facilities_kind_idx on facilities (kind);
create index facilities_region_idx on facilities (region_code);
