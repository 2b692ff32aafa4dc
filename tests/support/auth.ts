/**
 * Logging a test in. Servers the tests start seed the demo accounts with TEST_PASSWORD
 * (spawn-server.ts sets DEMO_ACCOUNTS=1 and DEMO_PASSWORD), one per role: `loginAs(url, 'planner')`.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { useLogin } from '../../simulators/platform-session';
import { createAccount } from '../../src/lib/server/auth/accounts';
import type { Role } from '../../src/lib/server/auth/roles';
import { openSession } from '../../src/lib/server/auth/sessions';
import type { Sql } from '../../src/lib/server/db/client';

export const TEST_PASSWORD = 'test-password-not-secret';

/** The demo account of each role (src/lib/server/auth/demo-accounts.ts). */
export const DEMO_USERNAMES: Record<Role, string> = {
	administrator: 'admin',
	dispatcher: 'dispatcher',
	dispatch_supervisor: 'supervisor',
	responder: 'responder',
	planner: 'planner',
	gazetteer_editor: 'editor',
	gazetteer_reviewer: 'reviewer',
	viewer: 'viewer'
};
export const LIANQIAN_DISPATCHER = 'dispatcher-lianqian';

export interface TestSession {
	/** The session token (socket.io's `auth.session`). */
	session: string;
	/** `cookie` header for fetch(). */
	headers: { cookie: string };
}

/** Logs in through the public session API as a demo account (a role, or a username). */
export async function loginAs(baseUrl: string, who: Role | string): Promise<TestSession> {
	const username = DEMO_USERNAMES[who as Role] ?? who;
	const response = await fetch(new URL('/api/session', baseUrl), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: TEST_PASSWORD })
	});
	if (!response.ok)
		throw new Error(`login as ${username} failed: ${response.status} ${await response.text()}`);
	const { session } = (await response.json()) as { session: string };
	return { session, headers: { cookie: `cc_session=${session}` } };
}

/** A browser context logged in as a demo account, or with a session already opened. */
export async function browserLoggedInAs(
	browser: Browser,
	baseUrl: string,
	who: Role | string | TestSession,
	options: Pick<BrowserContextOptions, 'reducedMotion'> = {}
): Promise<BrowserContext> {
	const { session } = typeof who === 'string' ? await loginAs(baseUrl, who) : who;
	const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, ...options });
	await context.addCookies([
		{ name: 'cc_session', value: session, url: baseUrl, httpOnly: true, sameSite: 'Lax' }
	]);
	return context;
}

/** fetch() with a session's cookie added to whatever headers the call gives. */
export function fetchAs(session: TestSession): typeof fetch {
	return (input, init = {}) =>
		fetch(input, { ...init, headers: { ...(init.headers as Record<string, string>), ...session.headers } });
}

/** Makes the simulators (fleet, responders, scenarios) log in to a test server as its administrator. */
export function simulatorsLogInAsAdmin(baseUrl: string): void {
	useLogin(baseUrl, { username: DEMO_USERNAMES.administrator, password: TEST_PASSWORD });
}

let accountsMade = 0;

/**
 * A session of a fresh account made directly in the database, for tests that run the services
 * without the HTTP app (socket.io on a test server): `auth: { session }` in socket.io's options.
 */
export async function sessionInDatabase(sql: Sql, role: Role, streetCodes: string[] = []): Promise<string> {
	const account = await createAccount(sql, {
		username: `t-${process.pid}-${Date.now().toString(36)}-${accountsMade++}`,
		displayName: 'test',
		password: TEST_PASSWORD,
		role,
		streetCodes
	});
	return openSession(sql, account.id, '127.0.0.1');
}
