/**
 * Logging in and out, as the login page and the JSON session API both do it: a per-address rate
 * limit in front of the account's own back-off, a session on success, and an audit entry either way.
 */
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';
import { RateLimiter } from '../http/rate-limit';
import { checkPassword } from './accounts';
import type { SessionUser } from './roles';
import { closeSession, openSession, sweepSessions } from './sessions';

/**
 * 20 failed attempts a minute per client address: plenty for typos, too few to try passwords
 * across many accounts (each account's own back-off stops guessing at one). Successes are free.
 */
const failuresByAddress = new RateLimiter(20, 60_000);

export type LoginResult =
	| { ok: true; user: SessionUser; token: string }
	| { ok: false; reason: 'INVALID' | 'LOCKED' | 'RATE_LIMITED' };

export async function logIn(
	sql: Sql,
	credentials: { username: string; password: string },
	clientAddress: string
): Promise<LoginResult> {
	if (failuresByAddress.exhausted(clientAddress)) return { ok: false, reason: 'RATE_LIMITED' };
	const outcome = await checkPassword(sql, credentials.username, credentials.password);
	const username = credentials.username.trim().toLowerCase().slice(0, 40);
	if (!outcome.ok) {
		failuresByAddress.take(clientAddress);
		await recordAudit(sql, {
			actor: `${username} (web:${clientAddress})`,
			action: 'auth.login_failed',
			subjectType: 'user',
			subjectId: username,
			detail: { reason: outcome.reason }
		});
		return outcome;
	}
	await sweepSessions(sql);
	const token = await openSession(sql, outcome.user.id, clientAddress);
	await recordAudit(sql, {
		actor: `${outcome.user.username} (web:${clientAddress})`,
		action: 'auth.login',
		subjectType: 'user',
		subjectId: outcome.user.username
	});
	return { ok: true, user: outcome.user, token };
}

export async function logOut(
	sql: Sql,
	token: string | undefined,
	user: SessionUser | null,
	clientAddress: string
): Promise<void> {
	await closeSession(sql, token);
	if (user)
		await recordAudit(sql, {
			actor: `${user.username} (web:${clientAddress})`,
			action: 'auth.logout',
			subjectType: 'user',
			subjectId: user.username
		});
}
