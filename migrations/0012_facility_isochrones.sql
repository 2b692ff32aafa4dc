-- Each facility's walking area (the 15-minute eldercare circle, or another time) on one walking
-- network, with the straight-line circle of the same time for comparison. Computed from the network
-- by the server and kept: a row is stale once its facility is updated after computed_at, and goes
-- with its network or its facility.
create table facility_isochrones (
	facility_id bigint not null references facilities (id) on delete cascade,
	network_id bigint not null references walk_networks (id) on delete cascade,
	minutes integer not null check (minutes between 1 and 60),
	speed_mps double precision not null check (speed_mps > 0),
	-- The concave hull of where walking on the network ends within the time.
	geom geometry(MultiPolygon, 4326) not null,
	area_m2 double precision not null,
	-- The circle of radius speed x time round the facility, clipped to the district outline (land).
	euclidean_area_m2 double precision not null,
	-- How far the facility is from the network node it was snapped to.
	snap_m double precision not null,
	computed_at timestamptz not null default now(),
	primary key (facility_id, network_id, minutes, speed_mps)
);

create index facility_isochrones_network_idx on facility_isochrones (network_id, minutes, speed_mps);
create index facility_isochrones_geom_idx on facility_isochrones using gist (geom);
