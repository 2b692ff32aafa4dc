/**
 * Accounts and sessions against the real database: passwords stored only as scrypt hashes, a
 * session that names its user until logout, a forged or expired token that names nobody, and the
 * back-off that locks an account after repeated wrong passwords.
 */
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	checkPassword,
	createAccount,
	setAccountDisabled,
	AccountError
} from '../../src/lib/server/auth/accounts';
import { logIn } from '../../src/lib/server/auth/login';
import { recentAudit } from '../../src/lib/server/audit/audit-log';
import { lockoutSeconds, FREE_FAILURES } from '../../src/lib/server/auth/lockout';
import { closeSession, openSession, sessionUser } from '../../src/lib/server/auth/sessions';
import type { Sql } from '../../src/lib/server/db/client';
import { prepareDatabase } from '../support/database';

let sql: Sql;
const run = Date.now().toString(36);
const PASSWORD = 'correct horse battery';

async function newUser(suffix: string, streetCodes: string[] = []) {
	return createAccount(sql, {
		username: `t-${run}-${suffix}`,
		displayName: '测试',
		password: PASSWORD,
		role: 'dispatcher',
		streetCodes
	});
}

describe('accounts and sessions', () => {
	beforeAll(async () => {
		sql = await prepareDatabase();
	});
	afterAll(async () => {
		await sql.end();
	});

	it('stores a password only as a salted scrypt hash', async () => {
		const user = await newUser('hash');
		const [{ passwordHash }]: [{ passwordHash: string }] =
			await sql`select password_hash from users where id = ${user.id}`;
		expect(passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
		expect(passwordHash).not.toContain(PASSWORD);
	});

	it('refuses a second account with a taken username', async () => {
		await newUser('twice');
		await expect(newUser('twice')).rejects.toBeInstanceOf(AccountError);
	});

	it('accepts the right password and refuses a wrong one or an unknown user alike', async () => {
		const user = await newUser('login', ['350203010']);
		const ok = await checkPassword(sql, user.username, PASSWORD);
		expect(ok).toEqual({
			ok: true,
			user: expect.objectContaining({ id: user.id, streetCodes: ['350203010'] })
		});
		expect(await checkPassword(sql, user.username, 'wrong password')).toEqual({
			ok: false,
			reason: 'INVALID'
		});
		expect(await checkPassword(sql, `nobody-${run}`, PASSWORD)).toEqual({ ok: false, reason: 'INVALID' });
	});

	it('locks an account after repeated failures, even against the right password', async () => {
		const user = await newUser('lock');
		for (let i = 0; i <= FREE_FAILURES; i++) await checkPassword(sql, user.username, `wrong ${i}`);
		expect(await checkPassword(sql, user.username, PASSWORD)).toEqual({ ok: false, reason: 'LOCKED' });
		const [{ seconds }]: [{ seconds: number }] = await sql`
			select round(extract(epoch from locked_until - now()))::int as seconds from users where id = ${user.id}`;
		expect(seconds).toBeGreaterThan(lockoutSeconds(FREE_FAILURES + 1) - 5);
	});

	it('doubles the wait with each further failure up to fifteen minutes', () => {
		expect([1, 4, 5, 6, 7, 20].map(lockoutSeconds)).toEqual([0, 0, 30, 60, 120, 900]);
	});

	it('names the user of a session until it is closed', async () => {
		const user = await newUser('session');
		const token = await openSession(sql, user.id, '127.0.0.1');
		expect((await sessionUser(sql, token))?.username).toBe(user.username);
		const [{ tokenHash }]: [{ tokenHash: string }] =
			await sql`select token_hash from sessions where user_id = ${user.id}`;
		expect(tokenHash).not.toBe(token);
		await closeSession(sql, token);
		expect(await sessionUser(sql, token)).toBeNull();
	});

	it('keeps login records in an audit log the application cannot change or empty', async () => {
		const user = await newUser('audit');
		await logIn(sql, { username: user.username, password: 'wrong password' }, '10.0.0.9');
		const [entry] = await recentAudit(sql, { actor: user.username, action: 'auth.login_failed' });
		expect(entry).toMatchObject({ subjectId: user.username, actor: `${user.username} (web:10.0.0.9)` });
		// Each refusal inside its own transaction, so the embedded PGlite answers the next one in step.
		const refusal = (statement: (tx: TransactionSql) => Promise<unknown>) =>
			sql.begin(statement).then(
				() => 'allowed',
				(error: Error) => error.message
			);
		expect(
			await refusal((tx) => tx`update audit_log set actor = 'someone else' where id = ${entry.id}`)
		).toMatch(/append-only: UPDATE/);
		expect(await refusal((tx) => tx`delete from audit_log where id = ${entry.id}`)).toMatch(
			/append-only: DELETE/
		);
		expect(await refusal((tx) => tx`truncate audit_log`)).toMatch(/append-only: TRUNCATE/);
		expect((await recentAudit(sql, { actor: user.username }))[0].id).toBe(entry.id);
	});

	it('names nobody for a forged, malformed or expired token, or a disabled account', async () => {
		const user = await newUser('forged');
		const token = await openSession(sql, user.id, null);
		expect(await sessionUser(sql, 'A'.repeat(43))).toBeNull();
		expect(await sessionUser(sql, `${token}'; drop table users; --`)).toBeNull();
		await sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${user.id}`;
		expect(await sessionUser(sql, token)).toBeNull();
		const other = await openSession(sql, user.id, null);
		await setAccountDisabled(sql, user.id, true);
		expect(await sessionUser(sql, other)).toBeNull();
	});
});
