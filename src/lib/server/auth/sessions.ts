/**
 * Sessions: a random token in an HttpOnly cookie, its SHA-256 in the database. A session lasts two
 * hours past its last use and never more than twelve hours past the login (a dispatcher's shift).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/client';
import type { SessionUser } from './roles';

export const SESSION_COOKIE = 'cc_session';
export const IDLE_LIMIT_S = 2 * 60 * 60;
export const ABSOLUTE_LIMIT_S = 12 * 60 * 60;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Starts a session for a user who has just proved who they are; returns the cookie's value. */
export async function openSession(sql: Sql, userId: number, clientAddress: string | null): Promise<string> {
	const token = randomBytes(32).toString('base64url');
	await sql`
		insert into sessions (token_hash, user_id, expires_at, absolute_expires_at, client_address)
		values (${hashToken(token)}, ${userId}, now() + make_interval(secs => ${IDLE_LIMIT_S}),
			now() + make_interval(secs => ${ABSOLUTE_LIMIT_S}), ${clientAddress})`;
	return token;
}

/**
 * The user a session token belongs to, moving its idle expiry forward; null for a token that is
 * unknown, expired, malformed or whose account was disabled.
 */
export async function sessionUser(sql: Sql, token: string | undefined | null): Promise<SessionUser | null> {
	if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
	const [row]: [SessionUser?] = await sql`
		update sessions s set expires_at = least(s.absolute_expires_at, now() + make_interval(secs => ${IDLE_LIMIT_S}))
		from users u
		where s.token_hash = ${hashToken(token)} and u.id = s.user_id and s.expires_at > now() and not u.disabled
		returning u.id::int as id, u.username, u.display_name, u.role, u.street_codes,
			u.responder_id::int as responder_id`;
	return row ?? null;
}

export async function closeSession(sql: Sql, token: string | undefined | null): Promise<void> {
	if (token) await sql`delete from sessions where token_hash = ${hashToken(token)}`;
}

/** Removes expired sessions; called at login so the table does not grow without bound. */
export async function sweepSessions(sql: Sql): Promise<void> {
	await sql`delete from sessions where expires_at <= now()`;
}

/**
 * The session cookie: unreadable to scripts, not sent on cross-site sub-requests or posts
 * (SameSite=Lax still lets a link from elsewhere open a page logged in), Secure behind TLS.
 */
export function sessionCookieOptions(url: URL) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: url.protocol === 'https:',
		maxAge: ABSOLUTE_LIMIT_S
	};
}

/** Where to go after logging in: only a path on this site, never another origin (open redirect). */
export function safeNextPath(next: string | null | undefined): string {
	return next && /^\/(?![/\\])/.test(next) ? next : '/';
}
