-- Standard addresses with QR door plates, and the district's boundary lines, their markers (界桩)
-- and joint inspections (联检). Issue 7, part B.

-- Address codes come from this sequence and are never reused: a retired address keeps its code, and
-- a deleted row's number is not handed out again (sequences do not go back).
create sequence address_code_seq as bigint start with 1;

create table addresses (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code),
	-- district code + base-32 serial + check symbol (src/lib/addresses/address-code.ts), as printed.
	code text not null unique,
	-- The importer's own key, so a file can be imported again without duplicating its addresses.
	external_id text not null,
	road_name text not null check (length(road_name) between 1 and 100),
	-- The road's entry in the gazetteer (migration 0014) when it is known; the name above stands alone otherwise.
	place_name_id bigint references place_names (id),
	house_number text not null check (length(house_number) between 1 and 20),
	building text check (length(building) between 1 and 20),
	unit text check (length(unit) between 1 and 20),
	standard_name text not null,
	road_pinyin text not null,
	pinyin text not null,
	-- Where the pinyin came from: computed by the gazetteer's rules, or as the import file gave it.
	pinyin_source text not null check (pinyin_source in ('computed', 'imported')),
	-- The community the point falls in (null when outside every community).
	region_code text references regions (code),
	geom geometry(Point, 4326) not null,
	status text not null default 'active' check (status in ('active', 'retired')),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (district_code, external_id)
);

create index addresses_geom_idx on addresses using gist (geom);
create index addresses_district_idx on addresses (district_code, road_name, house_number);

-- Boundary lines between regions: between two adjacent streets, or the district's own outline.
-- Derived from the region polygons, which are modelled placeholders (geo/README.md), so each line
-- says where its geometry came from.
create table boundary_lines (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code),
	line_code text not null,
	kind text not null check (kind in ('street_street', 'district_outline')),
	left_region_code text not null references regions (code),
	right_region_code text references regions (code),
	name text not null,
	geom geometry(MultiLineString, 4326) not null,
	length_m double precision not null,
	geom_source text not null,
	modelled boolean not null default true,
	updated_at timestamptz not null default now(),
	unique (district_code, line_code),
	check ((kind = 'district_outline') = (right_region_code is null))
);

create index boundary_lines_geom_idx on boundary_lines using gist (geom);

create table boundary_markers (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code),
	line_id bigint not null references boundary_lines (id),
	number text not null check (length(number) between 1 and 20),
	-- single (Q), paired (A/B) or triple (C/D/E) markers, as in the provincial numbering rules.
	marker_type text not null check (marker_type in ('single', 'paired', 'triple')),
	-- The recorded (surveyed) position; an inspection measures against it and never moves it.
	geom geometry(Point, 4326) not null,
	condition text not null default 'intact' check (condition in ('intact', 'damaged', 'moved', 'missing')),
	-- Reference landmarks that help find the marker again.
	landmarks text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (district_code, number)
);

create index boundary_markers_line_idx on boundary_markers (line_id);
create index boundary_markers_geom_idx on boundary_markers using gist (geom);

-- Photos are kept in the database rather than on disk: web nodes share no disk (DESIGN.md, one
-- process, several roles), and a backup of the database then holds them too. Small by rule.
create table boundary_marker_photos (
	id bigint generated always as identity primary key,
	marker_id bigint not null references boundary_markers (id) on delete cascade,
	content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
	bytes bytea not null check (octet_length(bytes) between 1 and 2097152),
	caption text,
	uploaded_by text not null,
	created_at timestamptz not null default now()
);

create index boundary_marker_photos_marker_idx on boundary_marker_photos (marker_id);

-- A joint inspection campaign (联检) over one line: every marker on it gets an inspection record.
create table inspection_campaigns (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code),
	line_id bigint not null references boundary_lines (id),
	name text not null check (length(name) between 1 and 200),
	-- A marker measured farther than this from its recorded position is flagged.
	tolerance_m double precision not null default 1.0 check (tolerance_m > 0),
	started_on date not null default current_date,
	status text not null default 'open' check (status in ('open', 'closed')),
	created_by text not null,
	created_at timestamptz not null default now()
);

create index inspection_campaigns_line_idx on inspection_campaigns (line_id);

create table marker_inspections (
	id bigint generated always as identity primary key,
	campaign_id bigint not null references inspection_campaigns (id),
	marker_id bigint not null references boundary_markers (id),
	result text not null check (result in ('intact', 'damaged', 'moved', 'missing')),
	-- A missing marker has no measured position.
	measured_geom geometry(Point, 4326),
	displacement_m double precision,
	beyond_tolerance boolean not null default false,
	notes text,
	inspector text not null check (length(inspector) between 1 and 100),
	inspected_at timestamptz not null default now(),
	unique (campaign_id, marker_id),
	check ((measured_geom is null) = (displacement_m is null))
);
