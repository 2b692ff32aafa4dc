/**
 * Accounts: creating people, listing them, and logging in with a password. The login refuses in
 * the same way (and after the same hashing work) whether the name is unknown, the password wrong,
 * or the account locked, so a caller cannot tell which accounts exist.
 */
import { z } from 'zod';
import type { Sql } from '../db/client';
import { lockoutSeconds } from './lockout';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from './passwords';
import { ROLES, type Role, type SessionUser } from './roles';

export const newAccount = z.object({
	username: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'must be 2–40 letters, digits, dots, dashes or underscores'),
	displayName: z.string().trim().min(1, 'is required').max(60, 'must be at most 60 characters'),
	password: z
		.string()
		.min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
		.max(200),
	role: z.enum(ROLES),
	streetCodes: z
		.array(z.string().regex(/^\d{9}$/, 'must be a 9-digit street code'))
		.max(20)
		.default([]),
	responderId: z.number().int().positive().nullable().default(null)
});
export type NewAccount = z.input<typeof newAccount>;

export interface Account extends SessionUser {
	disabled: boolean;
	lockedUntil: Date | null;
	createdAt: Date;
}

export class AccountError extends Error {
	constructor(
		readonly code: 'USERNAME_TAKEN',
		message: string
	) {
		super(message);
	}
}

const accountColumns = (sql: Sql) =>
	sql`id::int as id, username, display_name, role, street_codes, responder_id::int as responder_id,
		disabled, locked_until, created_at`;

export async function createAccount(sql: Sql, input: NewAccount): Promise<Account> {
	const account = newAccount.parse(input);
	const passwordHash = await hashPassword(account.password);
	const [row]: [Account?] = await sql`
		insert into users (username, display_name, password_hash, role, street_codes, responder_id)
		values (${account.username}, ${account.displayName}, ${passwordHash}, ${account.role},
			${account.streetCodes}::text[], ${account.responderId})
		on conflict (username) do nothing
		returning ${accountColumns(sql)}`;
	if (!row) throw new AccountError('USERNAME_TAKEN', `the username ${account.username} is taken`);
	return row;
}

export async function listAccounts(sql: Sql): Promise<Account[]> {
	return sql<Account[]>`select ${accountColumns(sql)} from users order by role, username`;
}

export async function setAccountDisabled(sql: Sql, id: number, disabled: boolean): Promise<boolean> {
	const rows = await sql`update users set disabled = ${disabled} where id = ${id} returning id`;
	if (disabled) await sql`delete from sessions where user_id = ${id}`;
	return rows.length > 0;
}

export async function setAccountPassword(sql: Sql, username: string, password: string): Promise<boolean> {
	const passwordHash = await hashPassword(password);
	const rows = await sql`
		update users set password_hash = ${passwordHash}, failed_logins = 0, locked_until = null
		where username = ${username} returning id`;
	return rows.length > 0;
}

/** Compared against when the username is unknown, so that case takes as long as a wrong password. */
const DECOY_HASH = hashPassword('decoy password that matches nothing');

export type LoginOutcome = { ok: true; user: SessionUser } | { ok: false; reason: 'INVALID' | 'LOCKED' };

/**
 * Checks a password. A locked account is refused before its password is checked; each failure adds
 * to the count and may lock the account for a while (lockout.ts); success clears both.
 */
export async function checkPassword(sql: Sql, username: string, password: string): Promise<LoginOutcome> {
	const [row]: [(SessionUser & { passwordHash: string; disabled: boolean; locked: boolean })?] = await sql`
		select id::int as id, username, display_name, role, street_codes, responder_id::int as responder_id,
			password_hash, disabled,
			coalesce(locked_until > now(), false) as locked
		from users where username = ${username.trim().toLowerCase()}`;
	const matches = await verifyPassword(password, row?.passwordHash ?? (await DECOY_HASH));
	if (!row || row.disabled) return { ok: false, reason: 'INVALID' };
	if (row.locked) return { ok: false, reason: 'LOCKED' };
	if (!matches) {
		const [{ failedLogins }]: [{ failedLogins: number }] = await sql`
			update users set failed_logins = failed_logins + 1 where id = ${row.id} returning failed_logins`;
		const wait = lockoutSeconds(failedLogins);
		if (wait > 0)
			await sql`update users set locked_until = now() + make_interval(secs => ${wait}) where id = ${row.id}`;
		return { ok: false, reason: 'INVALID' };
	}
	await sql`update users set failed_logins = 0, locked_until = null where id = ${row.id}`;
	return {
		ok: true,
		user: {
			id: row.id,
			username: row.username,
			displayName: row.displayName,
			role: row.role as Role,
			streetCodes: row.streetCodes,
			responderId: row.responderId
		}
	};
}
