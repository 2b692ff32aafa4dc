-- Planning scenarios: what a planner asked (coverage parameters, sites added and facilities taken
-- away, the siting run that chose them) and what came out (coverage by district, street and
-- community), kept so that two scenarios can be compared and exported later.
create table planning_scenarios (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code),
	name text not null check (length(name) between 1 and 200),
	parameters jsonb not null,
	added jsonb not null default '[]',
	removed_facility_ids jsonb not null default '[]',
	siting jsonb,
	results jsonb not null,
	created_at timestamptz not null default now()
);

create index planning_scenarios_district_idx on planning_scenarios (district_code, created_at desc);
