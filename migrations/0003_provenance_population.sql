-- Every dataset says whether it is official, derived from another source, or modelled, so no
-- modelled number is ever shown as a measured one.
alter table regions
	add column provenance text not null default 'modelled' check (provenance in ('official', 'derived', 'modelled'));
alter table facilities
	add column provenance text not null default 'modelled' check (provenance in ('official', 'derived', 'modelled')),
	add column notes text;

-- Elderly demand: cells (grid squares or hexagons) with a centre point and the number of residents
-- aged 60+, the unit of every coverage analysis.
create table population_cells (
	cell_id text primary key,
	district_code text not null references regions (code),
	region_code text references regions (code),
	geom geometry(Polygon, 4326),
	centre geometry(Point, 4326) not null,
	elderly double precision not null check (elderly >= 0),
	total double precision check (total is null or total >= elderly),
	provenance text not null check (provenance in ('official', 'derived', 'modelled')),
	source text not null,
	updated_at timestamptz not null default now()
);

create index population_cells_centre_idx on population_cells using gist (centre);
create index population_cells_district_idx on population_cells (district_code);
