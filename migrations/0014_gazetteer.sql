-- The gazetteer (地名库): place names with their official pinyin, class (GB/T 18521-style code),
-- geometry and region. A row of place_names is the published state of one named place; every change
-- is a row of place_name_versions (who, when, why, the diff, the full proposed record) that waits
-- for a reviewer and is copied into place_names only when approved. Nothing is deleted: a place is
-- retired, or superseded by its successor; an old name stays as a former name.
-- Other domains reference place_names (id): the addresses' road names (0015).
create table place_names (
	id bigint generated always as identity primary key,
	district_code text not null references regions (code),
	standard_name text not null,
	specific_part text not null default '',
	generic_part text not null default '',
	pinyin text not null default '',
	class_code text not null check (class_code ~ '^[0-9]{5}$'),
	geom geometry(Geometry, 4326),
	-- How precise geom is: surveyed, or an approximate point placed by hand (the seed's roads and hills).
	geom_precision text not null default 'approximate' check (geom_precision in ('surveyed', 'approximate', 'region')),
	region_code text references regions (code),
	origin_note text,
	status text not null check (status in ('proposed', 'under_review', 'approved', 'retired')),
	protected boolean not null default false,
	successor_id bigint references place_names (id),
	-- The approved version now published (0 while the first version waits for review).
	published_version integer not null default 0,
	-- Stable key of a name loaded from a file (the regions' codes, the seed list), for idempotent loads.
	source_key text unique,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

create index place_names_geom_idx on place_names using gist (geom);
create index place_names_district_idx on place_names (district_code, status);
create index place_names_street_idx on place_names (district_code, left(region_code, 9), standard_name);

-- Aliases and former names of the published version (a projection of its record).
create table place_name_aliases (
	id bigint generated always as identity primary key,
	place_name_id bigint not null references place_names (id),
	name text not null,
	kind text not null check (kind in ('alias', 'former')),
	from_year integer,
	to_year integer,
	protected boolean not null default false,
	check (from_year is null or to_year is null or from_year <= to_year)
);

create index place_name_aliases_place_idx on place_name_aliases (place_name_id);

-- Every change ever proposed, append-only: only a pending version's review may be filled in, once.
create table place_name_versions (
	id bigint generated always as identity primary key,
	place_name_id bigint not null references place_names (id),
	version integer not null,
	kind text not null check (kind in ('create', 'update', 'seed', 'import')),
	-- The full proposed record (camelCase JSON) and what it changes against the published one.
	record jsonb not null,
	diff jsonb not null,
	actor text not null,
	reason text not null,
	created_at timestamptz not null default now(),
	review_state text not null default 'pending' check (review_state in ('pending', 'approved', 'rejected')),
	reviewer text,
	reviewed_at timestamptz,
	review_note text,
	unique (place_name_id, version)
);

create index place_name_versions_pending_idx on place_name_versions (review_state, created_at);

create function place_name_versions_guard() returns trigger language plpgsql as $$
begin
	if tg_op = 'UPDATE' and old.review_state = 'pending'
		and new.record = old.record and new.diff = old.diff and new.actor = old.actor
		and new.reason = old.reason and new.created_at = old.created_at and new.version = old.version
		and new.place_name_id = old.place_name_id and new.kind = old.kind then
		return new;
	end if;
	raise exception 'place_name_versions is append-only: % is not allowed', tg_op
		using errcode = 'insufficient_privilege';
end;
$$;

create trigger place_name_versions_append_only before update or delete on place_name_versions
	for each row execute function place_name_versions_guard();

create function place_names_no_delete() returns trigger language plpgsql as $$
begin
	raise exception 'place names are retired, never deleted' using errcode = 'insufficient_privilege';
end;
$$;

create trigger place_names_never_deleted before delete on place_names
	for each row execute function place_names_no_delete();

-- The reviewed dictionary of place-name readings (polyphonic characters read the local way), editable
-- by staff; it overrides the pinyin library. Seeded from src/lib/gazetteer/pinyin.ts DEFAULT_READINGS.
create table place_name_readings (
	word text primary key check (length(word) between 1 and 20),
	reading text not null,
	note text,
	updated_by text not null default 'seed',
	updated_at timestamptz not null default now()
);
