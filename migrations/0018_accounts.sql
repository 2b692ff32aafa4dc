-- People who log in and their sessions.
create table users (
	id bigint generated always as identity primary key,
	username text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
	display_name text not null check (length(display_name) between 1 and 60),
	-- scrypt$N$r$p$salt$key (src/lib/server/auth/passwords.ts); never the password itself.
	password_hash text not null,
	role text not null check (role in ('dispatcher', 'dispatch_supervisor', 'responder', 'planner',
		'gazetteer_editor', 'gazetteer_reviewer', 'administrator', 'viewer')),
	-- The streets (9-digit codes) the user is limited to; empty means the whole district.
	street_codes text[] not null default '{}',
	disabled boolean not null default false,
	-- Consecutive failed logins and the back-off they earned (reset by a successful login).
	failed_logins integer not null default 0,
	locked_until timestamptz,
	created_at timestamptz not null default now()
);

-- Only a hash of the session token is stored: a copy of this table logs nobody in.
create table sessions (
	token_hash text primary key,
	user_id bigint not null references users (id) on delete cascade,
	created_at timestamptz not null default now(),
	-- Sliding: each use moves it forward up to the absolute limit fixed at login.
	expires_at timestamptz not null,
	absolute_expires_at timestamptz not null,
	client_address text
);

create index sessions_user_idx on sessions (user_id);
create index sessions_expires_idx on sessions (expires_at);

-- The audit log is searched by who acted (the actor names the account and the client address).
create index audit_log_actor_idx on audit_log (actor, at desc);
