-- Administrative regions: district (6-digit code) > street 街道 (9) > community 社区 (12),
-- with the national statistical division codes. Geometry is WGS-84; every row says where its
-- geometry came from and how precise it is, because early geometry is modelled, not surveyed.
create table regions (
	code text primary key,
	level text not null check (level in ('district', 'street', 'community')),
	name text not null,
	short_name text not null,
	parent_code text references regions (code),
	stat_code_12 text generated always as (rpad(code, 12, '0')) stored,
	geom geometry(MultiPolygon, 4326),
	label_point geometry(Point, 4326),
	geom_source text not null,
	geom_precision_m integer check (geom_precision_m > 0),
	updated_at timestamptz not null default now(),
	constraint regions_code_matches_level check (
		(level = 'district' and code ~ '^[0-9]{6}$')
		or (level = 'street' and code ~ '^[0-9]{9}$')
		or (level = 'community' and code ~ '^[0-9]{12}$')
	),
	constraint regions_parent_is_prefix check (parent_code is null or starts_with(code, parent_code))
);

create index regions_geom_idx on regions using gist (geom);
create index regions_parent_idx on regions (parent_code);
create index regions_level_idx on regions (level);
