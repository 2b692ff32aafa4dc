-- Walking networks: the modelled lattice shipped with a district, or one imported from
-- OpenStreetMap. One network per district is active; analyses use the active one.
create table walk_networks (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code),
	name text not null,
	provenance text not null check (provenance in ('official', 'derived', 'modelled')),
	source text not null,
	active boolean not null default false,
	node_count integer not null,
	edge_count integer not null,
	imported_at timestamptz not null default now(),
	unique (district_code, name)
);

create unique index walk_networks_one_active_idx on walk_networks (district_code) where active;

create table walk_nodes (
	network_id bigint not null references walk_networks (id) on delete cascade,
	node_index integer not null,
	source_id bigint,
	geom geometry(Point, 4326) not null,
	primary key (network_id, node_index)
);

create index walk_nodes_geom_idx on walk_nodes using gist (geom);

create table walk_edges (
	network_id bigint not null references walk_networks (id) on delete cascade,
	edge_index integer not null,
	from_node integer not null,
	to_node integer not null,
	length_m double precision not null check (length_m >= 0),
	kind text not null check (kind in ('walk', 'ferry')),
	-- Ferry edges cost a fixed time (waiting plus crossing) instead of length / walking speed.
	seconds double precision check (seconds is null or seconds >= 0),
	source_way bigint,
	geom geometry(LineString, 4326) not null,
	primary key (network_id, edge_index)
);

create index walk_edges_geom_idx on walk_edges using gist (geom);
