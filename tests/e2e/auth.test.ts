/**
 * People and permissions on the built server, as outsiders see them: the authorisation matrix over
 * HTTP for every route and role (generated from the route list), planners' API answers without any
 * resident, attacks that must fail (forged session, cross-site form post, SQL and script payloads in
 * the registry's and gazetteer's text fields), the security headers, and each demo role in a browser.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES, decide, mayOpen } from '../../src/lib/server/auth/policy';
import { ROLES, type Role } from '../../src/lib/server/auth/roles';
import {
	LIANQIAN_DISPATCHER,
	TEST_PASSWORD,
	browserLoggedInAs,
	loginAs,
	type TestSession
} from '../support/auth';
import { launchChromium, screenshot, startBuiltServer, type RunningServer } from '../support/browser';
import { routeIds, samplePath } from '../support/routes';

const DISTRICT = '350203';
const run = Date.now().toString(36);
/** A resident whose name and phone must never reach a planner. */
const RESIDENT = { name: `隐私测试${run}`, phone: '13700137000' };
const SQL_PAYLOAD = `'); drop table households; --`;
const SCRIPT_PAYLOAD = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`;

let server: RunningServer;
let baseUrl: string;
let browser: Browser;
const sessions = {} as Record<Role, TestSession>;

const send = (path: string, init: RequestInit & { session?: TestSession } = {}) =>
	fetch(new URL(path, baseUrl), {
		redirect: 'manual',
		...init,
		headers: { origin: baseUrl, ...(init.headers as Record<string, string>), ...init.session?.headers }
	});

beforeAll(async () => {
	server = await startBuiltServer();
	baseUrl = server.baseUrl;
	for (const role of ROLES) sessions[role] = await loginAs(baseUrl, role);
	browser = await launchChromium();
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

describe('the authorisation matrix over HTTP', () => {
	const routes = routeIds();

	it('answers every route for every role and for nobody exactly as the policy says', async () => {
		const wrong: string[] = [];
		for (const id of routes) {
			const path = samplePath(id, DISTRICT);
			for (const role of [null, ...ROLES]) {
				const session = role ? sessions[role] : undefined;
				for (const method of ['GET', 'POST']) {
					const decision = decide(id, method, role ? { role } : null);
					// Allowed writes are not sent: the matrix must not change the data it checks.
					if (method === 'POST' && decision === 'allow') continue;
					const response = await send(path, {
						method,
						session,
						headers: { 'content-type': 'application/json', accept: 'application/json' },
						body: method === 'POST' ? '{}' : undefined
					});
					await response.arrayBuffer();
					const ok =
						decision === 'deny'
							? response.status === 403
							: decision === 'login'
								? response.status === 401 || (response.status === 303 && method === 'GET')
								: response.status !== 401 && response.status !== 403;
					if (!ok) wrong.push(`${role ?? 'nobody'} ${method} ${path}: ${decision}, got ${response.status}`);
				}
			}
		}
		expect(wrong).toEqual([]);
	});

	it('refuses a forged or stale session cookie as if there were none', async () => {
		for (const cookie of [
			`cc_session=${'A'.repeat(43)}`,
			'cc_session=%27%20or%201%3D1%20--',
			'cc_session='
		]) {
			const api = await send(`/api/districts/${DISTRICT}/incidents`, { headers: { cookie } });
			expect(api.status, cookie).toBe(401);
			const page = await send('/console', { headers: { cookie } });
			expect(page.status).toBe(303);
			expect(page.headers.get('location')).toBe('/login?next=%2Fconsole');
		}
		const loggedOut = await loginAs(baseUrl, 'dispatcher');
		expect((await send('/api/session', { method: 'DELETE', session: loggedOut })).status).toBe(204);
		expect((await send(`/api/districts/${DISTRICT}/incidents`, { session: loggedOut })).status).toBe(401);
	});

	it('refuses a cross-site form post even with a valid session', async () => {
		const name = `跨站测试${run}`;
		const response = await fetch(new URL('/gazetteer/new', baseUrl), {
			method: 'POST',
			redirect: 'manual',
			headers: {
				...sessions.gazetteer_editor.headers,
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ standardName: name, classCode: '53100', reason: 'csrf' })
		});
		expect(response.status).toBe(403);
		const found = await send(`/api/districts/${DISTRICT}/gazetteer?q=${encodeURIComponent(name)}`, {
			session: sessions.gazetteer_editor
		});
		expect(JSON.stringify(await found.json())).not.toContain(name);
	});

	it('locks out a password guesser while the right password still works elsewhere', async () => {
		const guess = (password: string) =>
			send('/api/session', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username: LIANQIAN_DISPATCHER, password })
			});
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await guess(`wrong-${i}`)).status);
		expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
		expect((await guess(TEST_PASSWORD)).status).toBe(429);
		expect((await loginAs(baseUrl, 'planner')).session).toMatch(/^[\w-]{43}$/);
	});

	it('sends the security headers with a CSP that still allows the map’s workers', async () => {
		const response = await send('/login');
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toMatch(/worker-src 'self' blob:/);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		const cookie = (
			await send('/api/session', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username: 'planner', password: TEST_PASSWORD })
			})
		).headers.get('set-cookie');
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
	});
});

describe('personal data', () => {
	let householdId: number;

	beforeAll(async () => {
		const created = await send(`/api/districts/${DISTRICT}/households`, {
			method: 'POST',
			session: sessions.administrator,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				externalId: `T-AUTH-${run}`,
				residentName: `${RESIDENT.name}${SCRIPT_PAYLOAD}`,
				phone: RESIDENT.phone,
				address: `莲前东路 1 号 ${SQL_PAYLOAD}`,
				location: [118.16, 24.478],
				emergencyContacts: [{ name: `${SQL_PAYLOAD}`, phone: '13900139000' }],
				consent: true
			})
		});
		expect(created.status).toBe(201);
		householdId = ((await created.json()) as { id: number }).id;
	});

	it('gives planners no resident name or phone number in any API answer they may read', async () => {
		const readable = routeIds().filter(
			(id) => id.startsWith('/api/') && ROUTE_RULES[id] && decide(id, 'GET', { role: 'planner' }) === 'allow'
		);
		expect(readable.length).toBeGreaterThan(10);
		for (const id of readable) {
			const response = await send(samplePath(id, DISTRICT), { session: sessions.planner });
			const text = await response.text();
			expect(text, id).not.toContain(RESIDENT.name);
			expect(text, id).not.toContain(RESIDENT.phone);
		}
	});

	it('stores SQL and script payloads in registry fields and shows them as plain text', async () => {
		const context = await browserLoggedInAs(browser, baseUrl, sessions.administrator);
		const page = await context.newPage();
		await page.goto(`${baseUrl}/admin/households/${householdId}`);
		const body = await page.locator('body').innerText();
		const values = await page
			.locator('input')
			.evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
		expect([body, ...values].join('\n')).toContain(SCRIPT_PAYLOAD);
		expect(values.join('\n')).toContain(SQL_PAYLOAD);
		expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
		await context.close();
	});

	it('stores SQL and script payloads in gazetteer fields and shows them as plain text', async () => {
		const reason = `${SQL_PAYLOAD} ${SCRIPT_PAYLOAD} ${run}`;
		const proposed = await send(`/api/districts/${DISTRICT}/gazetteer`, {
			method: 'POST',
			session: sessions.gazetteer_editor,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				record: {
					standardName: `攻防测试路`,
					classCode: '53100',
					geometry: { type: 'Point', coordinates: [118.16, 24.478] },
					originNote: reason
				},
				reason
			})
		});
		expect(proposed.status).toBe(201);
		const { id } = (await proposed.json()) as { id: number };
		const stored = (await (
			await send(`/api/districts/${DISTRICT}/gazetteer/${id}`, { session: sessions.gazetteer_editor })
		).json()) as { versions: { record: { originNote: string } }[] };
		expect(stored.versions[0].record.originNote).toBe(reason);
		const context = await browserLoggedInAs(browser, baseUrl, sessions.gazetteer_reviewer);
		const page = await context.newPage();
		await page.goto(`${baseUrl}/gazetteer/review`);
		await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain(SCRIPT_PAYLOAD);
		expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
		await context.close();
	});
});

describe('each demo role in a browser', () => {
	const NAV = [
		'/console',
		'/planning',
		'/gazetteer',
		'/addresses',
		'/boundaries',
		'/admin/households',
		'/admin/audit',
		'/admin/users'
	];

	it('logs in through the login page and comes back to the page it asked for', async () => {
		const context = await browser.newContext();
		const page = await context.newPage();
		await page.goto(`${baseUrl}/planning`, { waitUntil: 'networkidle' });
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.getByLabel('用户名').fill('planner');
		await page.getByLabel('密码').fill('a wrong password');
		await page.getByRole('button', { name: '登录' }).click();
		await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('用户名或密码不正确');
		await page.getByLabel('密码').fill(TEST_PASSWORD);
		await page.getByRole('button', { name: '登录' }).click();
		await page.waitForURL('**/planning');
		await screenshot(page, 'auth-planner-planning.png');
		await context.close();
	});

	for (const role of ROLES)
		it(`shows ${role} the pages of that role, and refuses the others`, async () => {
			const context = await browserLoggedInAs(browser, baseUrl, sessions[role]);
			const page = await context.newPage();
			const home = await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
			expect(home?.status()).toBe(200);
			const linked = await page
				.locator('header a.nav')
				.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
			for (const path of NAV) {
				expect(linked.includes(path), `${role} sees a link to ${path}`).toBe(mayOpen(path, { role }));
				const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'commit' });
				expect(response?.status(), `${role} opens ${path}`).toBe(mayOpen(path, { role }) ? 200 : 403);
			}
			await context.close();
		});
});
