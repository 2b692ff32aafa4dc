/**
 * How the simulators log in to the platform (README, "Accounts and roles"): as an account given by
 * `useLogin(url, login)` — the in-process demo passes its administrator — or by the environment's
 * CARECIRCLE_USERNAME / CARECIRCLE_PASSWORD. One session per platform origin, opened on first use
 * through the public session API and opened again when the platform says it has expired.
 */
import type { Socket } from 'socket.io-client';

export interface PlatformLogin {
	username: string;
	password: string;
}

const SESSION_COOKIE = 'cc_session';
const logins = new Map<string, PlatformLogin>();
const sessions = new Map<string, Promise<string>>();

const originOf = (url: string | URL) => new URL(url).origin;

/** Makes the simulators log in to the platform at `url` as this account. */
export function useLogin(url: string, login: PlatformLogin): void {
	logins.set(originOf(url), login);
	sessions.delete(originOf(url));
}

function loginFor(origin: string): PlatformLogin {
	const login =
		logins.get(origin) ??
		(process.env.CARECIRCLE_USERNAME && process.env.CARECIRCLE_PASSWORD
			? { username: process.env.CARECIRCLE_USERNAME, password: process.env.CARECIRCLE_PASSWORD }
			: undefined);
	if (!login)
		throw new Error(
			`no login for ${origin}: set CARECIRCLE_USERNAME and CARECIRCLE_PASSWORD (the demo prints its accounts)`
		);
	return login;
}

async function openSession(origin: string): Promise<string> {
	const response = await fetch(`${origin}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(loginFor(origin))
	});
	if (!response.ok)
		throw new Error(`login at ${origin} refused: ${response.status} ${await response.text()}`);
	return ((await response.json()) as { session: string }).session;
}

/** The session token for the platform at `url`, logging in when there is none yet. */
export function sessionToken(url: string | URL): Promise<string> {
	const origin = originOf(url);
	let session = sessions.get(origin);
	if (!session) {
		session = openSession(origin);
		sessions.set(origin, session);
		// A failed login is not kept: the next call tries again.
		session.catch(() => sessions.delete(origin));
	}
	return session;
}

/** fetch() as the logged-in simulator; logs in again once if the session has expired. */
export async function platformFetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
	const send = async () =>
		fetch(url, {
			...init,
			headers: {
				...(init.headers as Record<string, string>),
				cookie: `${SESSION_COOKIE}=${await sessionToken(url)}`
			}
		});
	const response = await send();
	if (response.status !== 401) return response;
	sessions.delete(originOf(url));
	return send();
}

/** socket.io's `auth` option: the session is sent on every (re)connection, fetched afresh if needed. */
export function socketAuth(url: string): (send: (data: object) => void) => void {
	return (send) =>
		void sessionToken(url).then(
			(session) => send({ session }),
			() => send({})
		);
}

/** Drops the session of a socket the platform refused, so its next reconnection logs in again. */
export function forgetSessionOnRefusal(socket: Socket, url: string): void {
	socket.on('connect_error', (error) => {
		if (error.message === 'LOGIN_REQUIRED') sessions.delete(originOf(url));
	});
}
