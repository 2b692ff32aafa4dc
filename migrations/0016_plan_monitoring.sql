-- Monitoring of a district's five-year plan: its indicators (baseline, target, unit, binding or
-- expected) with the figures staff enter for those the platform cannot count itself, and its named
-- projects with their stages. Indicators the platform counts (facilities, beds, circles) name a
-- metric and are computed from the facilities at any date; they take no entries.
create table plan_indicators (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code) on delete cascade,
	key text not null check (key ~ '^[a-z][a-z0-9_]{1,40}$'),
	position integer not null,
	name_zh text not null,
	name_en text not null,
	unit text not null check (unit in ('percent', 'beds', 'facilities', 'count')),
	kind text not null check (kind in ('binding', 'expected')),
	-- The previous plan's value as the plan states it; null where the plan gives none.
	baseline numeric,
	-- The value progress is measured from (the baseline of a level, 0 for a count over the period).
	start_value numeric not null,
	target numeric not null,
	period_start date not null,
	period_end date not null check (period_end > period_start),
	metric text check (
		metric in ('facility_count', 'net_new_beds', 'nursing_bed_share', 'circle_community_share')
	),
	plan_ref text not null,
	unique (district_code, key)
);

-- Figures entered by staff, each with where it comes from and the date it describes. Kept, never
-- edited: a correction is a later entry.
create table plan_indicator_entries (
	id bigint generated always as identity primary key,
	indicator_id bigint not null references plan_indicators (id) on delete cascade,
	value numeric not null,
	as_of date not null,
	source text not null check (length(btrim(source)) > 0),
	note text,
	entered_by text not null,
	entered_at timestamptz not null default now()
);

create index plan_indicator_entries_indicator_idx on plan_indicator_entries (indicator_id, as_of);

-- The plan's named projects. A project's facility carries its place, kind and beds; its stage moves
-- the facility through planned → building → open, so an opened project is on the map and counted.
create table plan_projects (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code) on delete cascade,
	key text not null,
	position integer not null,
	name text not null,
	description text not null,
	beds_min integer check (beds_min >= 0),
	beds_max integer check (beds_max >= beds_min),
	budget_yuan numeric check (budget_yuan >= 0),
	facility_id bigint references facilities (id) on delete set null,
	stage text not null default 'proposed' check (stage in ('proposed', 'approved', 'building', 'open')),
	plan_ref text not null,
	unique (district_code, key)
);

-- Each stage a project reached, on which date, recorded by whom.
create table plan_project_stages (
	id bigint generated always as identity primary key,
	project_id bigint not null references plan_projects (id) on delete cascade,
	stage text not null check (stage in ('proposed', 'approved', 'building', 'open')),
	reached_on date not null,
	note text,
	entered_by text not null,
	entered_at timestamptz not null default now(),
	unique (project_id, stage)
);
