-- Every import (and dry run) is recorded with what it accepted and each rejected row and why,
-- so an operator can see what was refused without the console output.
create table import_runs (
	id bigint generated always as identity primary key,
	kind text not null,
	file_name text not null,
	crs text not null,
	district_code text not null,
	dry_run boolean not null,
	accepted integer not null,
	rejected integer not null,
	rejections jsonb not null default '[]'::jsonb,
	summary jsonb not null default '{}'::jsonb,
	started_at timestamptz not null,
	finished_at timestamptz not null default now()
);

create index import_runs_started_idx on import_runs (started_at desc);

