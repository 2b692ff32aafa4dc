/**
 * Two dispatch consoles open in chromium; an alert published over MQTT by a registered device
 * appears on both within the one-second budget, and acknowledging it on one updates the other — no
 * reload. A dispatcher opens an incident's detail (household, timeline, escalation ladder, nearest
 * responders) and assigns a responder; the other console sees who was assigned, and its own
 * assignment of the same incident is refused as a conflict. A third console that loses its
 * connection while alerts arrive shows them once it is back, without a reload, with one chime.
 * Needs the real services (the test registers households, devices and responders in the same
 * database the server uses).
 */
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Locator, Page, WebSocketRoute } from 'playwright-core';
import { browserLoggedInAs } from '../support/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { saveResponder } from '../../src/lib/server/dispatch/responders';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { ESCALATION_TIERS } from '../../src/lib/realtime/events';
import { waitFor } from '../support/wait';
import {
	launchChromium,
	openMapPage,
	screenshot,
	startBuiltServer,
	type RunningServer
} from '../support/browser';

const realServices = Boolean(process.env.DATABASE_URL && process.env.MQTT_URL);
const run = Date.now().toString(36);
const DEVICE = `T-E2E-SOS-${run}`;
/** One household per test, so no test depends on what another did to its incident. */
const DETAIL_DEVICE = `T-E2E-DET-${run}`;
const ASSIGN_DEVICE = `T-E2E-ASG-${run}`;
const RESOLVE_DEVICE = `T-E2E-RES-${run}`;
/** Pressed while the third console is offline. */
const MISSED_DEVICES = [`T-E2E-MS1-${run}`, `T-E2E-MS2-${run}`];
const HOME: [number, number] = [118.087, 24.452];
/**
 * How long a page may take to show what the server pushed, where the test only needs it to arrive
 * (the first test checks the latency, on settled pages): while a page is still drawing its map a
 * push has taken over 5 s on a loaded 2-core CI machine.
 */
const PUSH_WAIT_MS = 20_000;
/**
 * The latency check: an alert stored in the database shows on every open console within a second
 * (issue item 7), measured from the incident row's `opened_at` to the queue item appearing, both on
 * this machine's clock. The bound adds 500 ms to that second for the test's own costs, not the
 * platform's: `opened_at` is the start of the inserting transaction, not its commit, and without a
 * GPU a settled page can still be held up a few hundred ms by another page's software WebGL (one
 * shared renderer) before its DOM change is observed. Measured: 12–254 ms on a busy 2-core machine.
 */
const STORED_TO_SHOWN_MAX_MS = 1_500;

/** What the test adds to a console page to watch it: when each incident first showed, and the chimes. */
interface Watched {
	shownAt: Record<string, number>;
	chimes: number;
	/** When the page's main thread was last busy for over 50 ms (a long task) ended. */
	busyUntil: number;
	sameDocument?: boolean;
}

/** The number in the title bar ("(3) 调度台 …"), 0 without one. */
async function titleCount(page: Page): Promise<number> {
	const match = /^\((\d+)\) /.exec(await page.title());
	return match ? Number(match[1]) : 0;
}

describe.skipIf(!realServices)('two dispatch consoles', () => {
	let server: RunningServer;
	let browser: Browser;
	let sql: Sql;
	let first: Page;
	let second: Page;
	let nearResponder: number;
	let fartherResponder: number;

	async function household(externalId: string, residentName: string, deviceId: string) {
		const householdId = await saveHousehold(sql, {
			externalId,
			districtCode: '350203',
			residentName,
			phone: '0592-5550101',
			location: HOME,
			emergencyContacts: [{ name: `${residentName}之女`, phone: '13800000001', relation: '女儿' }],
			consent: true
		});
		await registerDevice(sql, { id: deviceId, householdId, kind: 'sos_button' });
	}

	/** Presses the SOS button of a registered device and returns the incident it opened. */
	async function pressSos(
		deviceId: string
	): Promise<{ incident: number; publishedAt: number; openedAt: Date }> {
		const device = await mqtt.connectAsync(process.env.MQTT_URL!, { clientId: deviceId, username: deviceId });
		const publishedAt = Date.now();
		await device.publishAsync(
			deviceTopic('350203', deviceId, 'event'),
			JSON.stringify({ v: 1, eventId: `sos-${run}`, type: 'sos', at: new Date().toISOString() }),
			{ qos: 1 }
		);
		await device.endAsync();
		const incident = await waitFor('the incident in the database', async () => {
			const [row] = await sql`
				select i.id, i.opened_at from incidents i join devices d on d.household_id = i.household_id
				where d.id = ${deviceId}`;
			return row;
		});
		return { incident: Number(incident.id), publishedAt, openedAt: incident.openedAt as Date };
	}

	/**
	 * Starts watching a console page, before anything of interest happens: a MutationObserver notes
	 * when each incident first shows in the queue, every burst of tones scheduled at once counts as
	 * one chime, and long tasks say when the page was last busy (installed before the page's scripts
	 * run, for a page opened after it).
	 */
	function watchConsole() {
		const watched = window as unknown as Window & { __watched: Watched };
		watched.__watched = { shownAt: {}, chimes: 0, busyUntil: Date.now() };
		new PerformanceObserver((tasks) => {
			for (const task of tasks.getEntries())
				watched.__watched.busyUntil = Math.max(
					watched.__watched.busyUntil,
					performance.timeOrigin + task.startTime + task.duration
				);
		}).observe({ type: 'longtask' });
		const start = OscillatorNode.prototype.start;
		let scheduling = false;
		OscillatorNode.prototype.start = function (...args) {
			if (!scheduling) {
				scheduling = true;
				watched.__watched.chimes += 1;
				queueMicrotask(() => (scheduling = false));
			}
			return start.apply(this, args);
		};
		const note = () => {
			const now = Date.now();
			for (const li of document.querySelectorAll<HTMLElement>('li[data-incident-id]'))
				watched.__watched.shownAt[li.dataset.incidentId!] ??= now;
		};
		const observe = () =>
			new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
		if (document.body) observe();
		else document.addEventListener('DOMContentLoaded', observe);
	}

	/**
	 * A console of its own dispatcher (a browser context with its own session). Reduced motion stops
	 * the pulse of the open incidents: pages animating it through software WebGL take both cores of
	 * a CI machine and slow everything else down.
	 */
	async function openConsole(prepare?: (context: BrowserContext) => Promise<void>): Promise<Page> {
		const context = await browserLoggedInAs(browser, server.baseUrl, 'dispatcher', {
			reducedMotion: 'reduce'
		});
		await prepare?.(context);
		await context.addInitScript(watchConsole);
		return openMapPage(context, `${server.baseUrl}/console`);
	}
	/**
	 * Holds a page's audio back until it is used, as browsers do to a page nobody has clicked:
	 * whether headless chromium does so itself depends on its autoplay heuristics, run to run.
	 */
	function holdSoundBack() {
		const Native = window.AudioContext;
		window.AudioContext = class extends Native {
			constructor(options?: AudioContextOptions) {
				super(options);
				void this.suspend();
			}
		};
	}
	const watchedOf = (page: Page) =>
		page.evaluate(() => (window as unknown as { __watched: Watched }).__watched);

	/**
	 * Waits until a page's main thread has been free for two seconds: a console that has finished
	 * drawing its map. Without a GPU every page's WebGL runs in one shared software renderer, so a
	 * page that is still compiling its shaders holds up the others' drawing for seconds.
	 */
	const settled = (page: Page) =>
		page.waitForFunction(
			() => Date.now() - (window as unknown as { __watched: Watched }).__watched.busyUntil > 2000,
			undefined,
			{ timeout: 60_000, polling: 250 }
		);

	const item = (page: Page, id: number) => page.locator(`li[data-incident-id="${id}"]`);
	const detailOf = (page: Page, id: number) =>
		page.locator(`[data-testid="incident-detail"][data-incident-id="${id}"]`);
	const proposal = (detail: Locator, responderId: number) =>
		detail.locator(`[data-testid="proposals"] li[data-responder-id="${responderId}"]`);

	async function openDetail(page: Page, id: number): Promise<Locator> {
		await item(page, id).waitFor({ timeout: PUSH_WAIT_MS });
		await item(page, id).locator('button.pick').click();
		const detail = detailOf(page, id);
		await detail.getByTestId('household-name').waitFor({ timeout: PUSH_WAIT_MS });
		return detail;
	}

	beforeAll(async () => {
		server = await startBuiltServer();
		sql = createSql(process.env.DATABASE_URL!, { max: 1 });
		await household(`T-E2E-H-${run}`, '浏览器测试', DEVICE);
		await household(`T-E2E-HD-${run}`, `详情测试${run}`, DETAIL_DEVICE);
		await household(`T-E2E-HA-${run}`, `派单测试${run}`, ASSIGN_DEVICE);
		await household(`T-E2E-HR-${run}`, `办结测试${run}`, RESOLVE_DEVICE);
		for (const [index, deviceId] of MISSED_DEVICES.entries())
			await household(`T-E2E-HM${index}-${run}`, `断线测试${index}${run}`, deviceId);
		// Two free responders a few hundred metres from the homes, the nearer one first in the proposals;
		// responders left by earlier runs on the same database go off duty so they do not crowd them out.
		await sql`update responders set status = 'off' where status = 'available'`;
		nearResponder = await saveResponder(sql, {
			externalId: `T-E2E-R1-${run}`,
			districtCode: '350203',
			name: `网格员甲${run}`,
			role: 'grid_worker',
			location: [HOME[0] + 0.001, HOME[1]]
		});
		fartherResponder = await saveResponder(sql, {
			externalId: `T-E2E-R2-${run}`,
			districtCode: '350203',
			name: `志愿者乙${run}`,
			role: 'volunteer',
			location: [HOME[0] + 0.003, HOME[1]]
		});
		browser = await launchChromium();
		[first, second] = [await openConsole(), await openConsole()];
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await sql?.end();
	});

	it('shows an SOS from a device on both consoles within a second of storing it, and an acknowledgement on one reaches the other', async () => {
		for (const page of [first, second]) await settled(page);
		const { incident, publishedAt, openedAt } = await pressSos(DEVICE);
		for (const page of [first, second]) await item(page, incident).waitFor({ timeout: PUSH_WAIT_MS });
		for (const [name, page] of Object.entries({ first, second })) {
			const shownAt = (await watchedOf(page)).shownAt[incident];
			const fromStored = shownAt - openedAt.getTime();
			console.info(
				`${name} console: stored → shown ${fromStored} ms, published → shown ${shownAt - publishedAt} ms`
			);
			expect(fromStored).toBeLessThanOrEqual(STORED_TO_SHOWN_MAX_MS);
		}
		await expect(item(second, incident).locator('strong').textContent()).resolves.toBe('紧急呼叫');
		await expect(item(second, incident).getByTestId('incident-state').textContent()).resolves.toBe('新告警');
		await expect(item(second, incident).getByTestId('incident-confidence').textContent()).resolves.toContain(
			'高可信度'
		);
		const waitingCritical = await titleCount(second);
		expect(waitingCritical).toBeGreaterThanOrEqual(1);
		// The row says how long it has waited, and when it opened in the console's one time format.
		await expect(item(second, incident).getByTestId('incident-waiting').textContent()).resolves.toMatch(
			/已等待 \d+:\d{2}/
		);
		await expect(item(second, incident).locator('time').textContent()).resolves.toMatch(
			/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
		);

		await item(first, incident).locator('button.pick').click();
		await first.keyboard.press('a');
		await item(second, incident).getByText('已确认').waitFor({ timeout: PUSH_WAIT_MS });
		await expect(item(first, incident).getByTestId('incident-state').textContent()).resolves.toBe('已确认');
		// The title bar counts critical incidents nobody has acknowledged: one fewer now, on both.
		for (const page of [first, second]) expect(await titleCount(page)).toBe(waitingCritical - 1);
		await screenshot(second, 'console-acknowledged.png');
	});

	it('opens an incident’s detail: the household, its timeline, its escalation ladder and the nearest responders', async () => {
		const { incident } = await pressSos(DETAIL_DEVICE);
		const detail = await openDetail(first, incident);
		await expect(detail.getByTestId('household-name').textContent()).resolves.toBe(`详情测试${run}`);
		await expect(detail.getByTestId('detail-confidence').textContent()).resolves.toContain('高可信度');
		// Every rung from the grid worker to the emergency number, the grid worker's turn marked current.
		const rungs = detail.getByTestId('escalation-ladder').locator('li');
		await expect(
			rungs.evaluateAll((items) => items.map((li) => li.getAttribute('data-tier')))
		).resolves.toEqual([...ESCALATION_TIERS]);
		await expect(
			detail.locator('[data-testid="escalation-ladder"] li[aria-current="step"]').getAttribute('data-tier')
		).resolves.toBe('grid_worker');
		// Each rung says how to reach its unit, or that it has no phone or no unit on record.
		for (const rung of await rungs.all()) {
			const reachable = rung
				.locator('a[href^="tel:"]')
				.or(rung.getByText('无电话'))
				.or(rung.getByText('无登记单位'));
			await expect(reachable.count()).resolves.toBeGreaterThan(0);
		}
		await expect(detail.locator('a[href="tel:0592-5550101"]').count()).resolves.toBe(0);
		await expect(detail.locator('a[href="tel:05925550101"]').count()).resolves.toBe(1);
		await detail.getByTestId('timeline').getByText('开启告警').waitFor();
		await proposal(detail, nearResponder).waitFor();
		const ranked = await detail
			.locator('[data-testid="proposals"] li')
			.evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-responder-id'))));
		expect(ranked.indexOf(nearResponder)).toBeLessThan(ranked.indexOf(fartherResponder));

		// The timeline follows the incident: acknowledging adds its entry without reopening the panel.
		await first.keyboard.press('a');
		await detail
			.getByTestId('timeline')
			.getByText('确认', { exact: true })
			.waitFor({ timeout: PUSH_WAIT_MS });
		// Who acted reads as a name, not as the server's `user (socket:address)`.
		const actors = await detail.getByTestId('timeline').locator('.actor').allTextContents();
		expect(actors.some((actor) => actor.includes('dispatcher · 调度台'))).toBe(true);
		expect(actors.some((actor) => actor.includes('socket:'))).toBe(false);
		// Acknowledged now: acknowledging again is greyed out, with the reason as its title.
		const acknowledge = detail.locator('button[data-action="acknowledge"]');
		await expect(acknowledge.isDisabled()).resolves.toBe(true);
		await expect(acknowledge.getAttribute('title')).resolves.toBe('当前状态为「已确认」，不能确认。');
		await screenshot(first, 'console-detail.png');
	});

	it('assigns a responder on one console, shows it on the other, and refuses a second assignment as a conflict', async () => {
		const { incident } = await pressSos(ASSIGN_DEVICE);
		const onSecond = await openDetail(second, incident);
		await proposal(onSecond, fartherResponder).waitFor();

		// S pressed before the detail has loaded waits for it, then assigns the first available proposal.
		await item(first, incident).waitFor({ timeout: PUSH_WAIT_MS });
		await item(first, incident).locator('button.pick').click();
		await first.keyboard.press('s');
		await first.getByTestId('console-notice').getByText(`网格员甲${run}`).waitFor({ timeout: PUSH_WAIT_MS });

		const responderOnSecond = item(second, incident).getByTestId('incident-responder');
		await responderOnSecond.waitFor({ timeout: PUSH_WAIT_MS });
		await expect(responderOnSecond.textContent()).resolves.toContain(`网格员甲${run}`);
		await expect(item(second, incident).getByTestId('incident-state').textContent()).resolves.toBe('已派单');

		await proposal(onSecond, fartherResponder).getByRole('button').click();
		const notice = second.getByTestId('console-notice');
		await notice.waitFor({ timeout: PUSH_WAIT_MS });
		await expect(notice.getAttribute('data-code')).resolves.toBe('CONFLICT');
		// Worded from the refusal's detail: who holds the incident.
		await expect(notice.textContent()).resolves.toContain('冲突');
		await expect(notice.textContent()).resolves.toContain(`网格员甲${run}`);
		await screenshot(second, 'console-assign-conflict.png');
	});

	it('resolves an incident with an outcome chosen from the keyboard, and both queues drop it', async () => {
		const { incident } = await pressSos(RESOLVE_DEVICE);
		await openDetail(first, incident);
		await first.keyboard.press('r');
		const chooser = first.getByTestId('outcome-chooser');
		await chooser.waitFor();
		await first.keyboard.press('2');
		await first.keyboard.press('Enter');
		for (const page of [first, second])
			await item(page, incident).waitFor({ state: 'detached', timeout: PUSH_WAIT_MS });
		await expect(chooser.isVisible()).resolves.toBe(false);
		const [row] = await sql`select state from incidents where id = ${incident}`;
		expect(row.state).toBe('resolved');
		const [event] = await sql`
			select detail from incident_events where incident_id = ${incident} and action = 'resolve'`;
		expect(event.detail).toMatchObject({ outcome: 'resolved_by_phone' });
	});

	it('catches up on the alerts it missed while its connection was down, without a reload and with one chime', async () => {
		// A third console whose socket.io traffic runs through playwright, so the test can cut it:
		// offline emulation alone blocks HTTP but leaves an open WebSocket alone.
		const sockets: WebSocketRoute[] = [];
		const page = await openConsole(async (context) => {
			await context.routeWebSocket(/\/socket\.io\//, (socket) => {
				socket.connectToServer();
				sockets.push(socket);
			});
			await context.addInitScript(holdSoundBack);
		});
		const dropped = page.context();
		try {
			const status = page.getByTestId('realtime-status');
			await status.getByText('实时连接：已连接').waitFor({ timeout: PUSH_WAIT_MS });

			// The browser keeps sound off until the page is used, and the console says so; any key turns it on.
			const soundNotice = page.getByTestId('sound-blocked');
			await soundNotice.waitFor();
			await page.keyboard.press('Shift');
			await soundNotice.waitFor({ state: 'detached' });

			// An incident open in the panel: its commands are greyed out while the link is down.
			await page.locator('li[data-incident-id] button.pick').first().click();
			const falseAlarm = page.locator(
				'[data-testid="incident-detail"] button[data-action="mark_false_alarm"]'
			);
			await expect(falseAlarm.isDisabled()).resolves.toBe(false);

			await dropped.setOffline(true);
			for (const socket of sockets) await socket.close();
			await status.getByText('实时连接：未连接').waitFor();
			await page.getByTestId('offline-banner').waitFor();
			await expect(falseAlarm.isDisabled()).resolves.toBe(true);
			await page.evaluate(
				() => ((window as unknown as { __watched: Watched }).__watched.sameDocument = true)
			);
			const chimesBefore = (await watchedOf(page)).chimes;

			const missed = [];
			for (const deviceId of MISSED_DEVICES) missed.push((await pressSos(deviceId)).incident);
			// The connected console has them: they were pushed while the third one was away.
			for (const incident of missed) await item(first, incident).waitFor({ timeout: PUSH_WAIT_MS });
			for (const incident of missed) await expect(item(page, incident).count()).resolves.toBe(0);

			const reconnecting = new Date();
			await dropped.setOffline(false);
			await status.getByText('实时连接：已连接').waitFor({ timeout: PUSH_WAIT_MS });
			await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
			await expect(falseAlarm.isDisabled()).resolves.toBe(false);
			for (const incident of missed) await item(page, incident).waitFor({ timeout: PUSH_WAIT_MS });
			// The catch-up read and the new connection carry homes' locations: both are audited.
			const homes = await sql<{ householdId: string }[]>`
				select household_id from incidents where id in ${sql(missed)}`;
			const reads = await sql<{ action: string; detail: { householdIds?: number[] } }[]>`
				select action, detail from audit_log
				where action in ('incident.list', 'incident.watch') and at >= ${reconnecting} order by id`;
			expect(reads.map((r) => r.action)).toContain('incident.watch');
			expect(reads.findLast((r) => r.action === 'incident.list')?.detail.householdIds).toEqual(
				expect.arrayContaining(homes.map((h) => Number(h.householdId)))
			);
			const after = await watchedOf(page);
			expect(after.sameDocument).toBe(true);
			// Two critical incidents missed, one chime: a reconnect does not ring once per incident.
			expect(after.chimes - chimesBefore).toBe(1);
			expect(await titleCount(page)).toBe(await titleCount(first));
			await screenshot(page, 'console-caught-up.png');
		} finally {
			await dropped.close();
		}
	});
});
