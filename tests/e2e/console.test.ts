/**
 * Two dispatch consoles open in chromium; an alert published over MQTT by a registered device
 * appears on both, and acknowledging it on one updates the other — no reload. Needs the real
 * services (the test registers the device in the same database the server uses).
 */
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { deviceTopic } from '../../src/lib/server/mqtt/contract';
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

describe.skipIf(!realServices)('two dispatch consoles', () => {
	let server: RunningServer;
	let browser: Browser;
	let sql: Sql;
	let first: Page;
	let second: Page;

	beforeAll(async () => {
		server = await startBuiltServer();
		sql = createSql(process.env.DATABASE_URL!, { max: 1 });
		const householdId = await saveHousehold(sql, {
			externalId: `T-E2E-H-${run}`,
			districtCode: '350203',
			residentName: '浏览器测试',
			location: [118.087, 24.452],
			consent: true
		});
		await registerDevice(sql, { id: DEVICE, householdId, kind: 'sos_button' });
		browser = await launchChromium();
		first = await openMapPage(browser, `${server.baseUrl}/console`);
		second = await openMapPage(browser, `${server.baseUrl}/console`);
	});

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await sql?.end();
	});

	it('shows an SOS from a device on both consoles, and an acknowledgement on one reaches the other', async () => {
		const device = await mqtt.connectAsync(process.env.MQTT_URL!, { clientId: DEVICE, username: DEVICE });
		await device.publishAsync(
			deviceTopic('350203', DEVICE, 'event'),
			JSON.stringify({ v: 1, eventId: `sos-${run}`, type: 'sos', at: new Date().toISOString() }),
			{ qos: 1 }
		);
		await device.endAsync();
		const incident = await waitFor('the incident in the database', async () => {
			const [row] = await sql`
				select i.id from incidents i join devices d on d.household_id = i.household_id where d.id = ${DEVICE}`;
			return row;
		});
		const item = (page: Page) => page.locator(`li[data-incident-id="${incident.id}"]`);
		for (const page of [first, second]) await item(page).waitFor({ timeout: 5000 });
		await expect(item(second).locator('strong').textContent()).resolves.toBe('紧急呼叫');
		await expect(item(second).getByTestId('incident-state').textContent()).resolves.toBe('新告警');

		await item(first).locator('button.pick').click();
		await first.keyboard.press('a');
		await item(second).getByText('已确认').waitFor({ timeout: 5000 });
		await expect(item(first).getByTestId('incident-state').textContent()).resolves.toBe('已确认');
		await screenshot(second, 'console-acknowledged.png');
	});
});
