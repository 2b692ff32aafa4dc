-- The audit log: every dispatcher action and every read of a resident's personal data. Append-only:
-- the triggers below refuse to change or remove a row, whoever asks.
create table audit_log (
	id bigint generated always as identity primary key,
	at timestamptz not null default now(),
	actor text not null,
	action text not null,
	subject_type text not null,
	subject_id text not null,
	district_code text,
	detail jsonb not null default '{}'::jsonb
);

create index audit_log_at_idx on audit_log (at desc);
create index audit_log_subject_idx on audit_log (subject_type, subject_id, at desc);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
	raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_update before update or delete on audit_log
	for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
	for each statement execute function audit_log_is_append_only();
