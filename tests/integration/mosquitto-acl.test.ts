/**
 * The Mosquitto files `npm run mqtt:acl` writes, on a real Mosquitto started by the test with the
 * shipped deploy/mosquitto/mosquitto.conf on spare ports (the machine's own Mosquitto on 1883 keeps
 * its stock config): a device logs in with its password and can neither publish as another device,
 * nor read another device's commands, nor take over another client's session by its client id.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { retireDevice, rotateCredential } from '../../src/lib/server/devices/device-admin';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { hasMosquitto, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { prepareDatabase } from '../support/database';
import { waitFor } from '../support/wait';

const run = Date.now().toString(36);
const A = `T-MA-${run}`;
const B = `T-MB-${run}`;

describe.skipIf(!hasMosquitto)('Mosquitto with the generated password and ACL files', () => {
	let sql: Sql;
	let mosquitto: TestMosquitto;
	let url: string;
	let watcher: MqttClient;
	let secretA = '';
	let secretB = '';
	let householdId = 0;
	const seen: string[] = [];

	beforeAll(async () => {
		sql = await prepareDatabase();
		householdId = await saveHousehold(sql, {
			externalId: `T-HM-${run}`,
			districtCode: '350203',
			residentName: 'ACL 测试',
			location: [118.09, 24.455],
			consent: true
		});
		secretA = (await registerDevice(sql, { id: A, householdId, kind: 'sos_button' })).secret;
		secretB = (await registerDevice(sql, { id: B, householdId, kind: 'smoke' })).secret;

		mosquitto = await startTestMosquitto(sql);
		url = mosquitto.url;
		watcher = await mqtt.connectAsync(mosquitto.platformUrl, { ...mosquitto.platform, clientId: 'watcher' });
		await watcher.subscribeAsync('care/#', { qos: 1 });
		watcher.on('message', (topic) => seen.push(topic));
	});

	afterAll(async () => {
		await watcher?.endAsync();
		await mosquitto?.stop();
		await sql?.end();
	});

	const connectDevice = (id: string, password: string, clientId = id) =>
		mqtt.connectAsync(url, { clientId, username: id, password, reconnectPeriod: 0 });

	it('refuses a wrong password and admits the device with its own', async () => {
		await expect(connectDevice(A, 'wrong')).rejects.toThrowError(/Bad User Name or Password|Not authorized/i);
		const device = await connectDevice(A, secretA);
		await device.publishAsync(deviceTopic('350203', A, 'event'), '{}', { qos: 1 });
		await waitFor('the platform to receive it', () => seen.includes(deviceTopic('350203', A, 'event')));
		await device.endAsync();
	});

	it('does not let a device publish under another device’s id', async () => {
		const device = await connectDevice(A, secretA);
		await device
			.publishAsync(deviceTopic('350203', B, 'event'), '{"spoof":true}', { qos: 1 })
			.catch(() => {});
		// A marker published after it arrives; the spoofed one never does.
		await device.publishAsync(deviceTopic('350203', A, 'telemetry'), '{}', { qos: 1 });
		await waitFor('the marker', () => seen.includes(deviceTopic('350203', A, 'telemetry')));
		expect(seen).not.toContain(deviceTopic('350203', B, 'event'));
		await device.endAsync();
	});

	it('delivers a device its own commands and not another device’s', async () => {
		const device = await connectDevice(A, secretA);
		const received: string[] = [];
		device.on('message', (topic) => received.push(topic));
		await device.subscribeAsync(deviceTopic('350203', A, 'cmd'), { qos: 1 });
		await device.subscribeAsync(deviceTopic('350203', B, 'cmd'), { qos: 1 }).catch(() => {});
		await watcher.publishAsync(deviceTopic('350203', B, 'cmd'), '{"for":"B"}', { qos: 1 });
		await watcher.publishAsync(deviceTopic('350203', A, 'cmd'), '{"for":"A"}', { qos: 1 });
		await waitFor('its own command', () => received.includes(deviceTopic('350203', A, 'cmd')));
		expect(received).not.toContain(deviceTopic('350203', B, 'cmd'));
		await device.endAsync();
	});

	it('does not let a device take over another device’s session by its client id', async () => {
		const offline = deviceTopic('350203', B, 'status');
		const victim = await mqtt.connectAsync(url, {
			clientId: B,
			username: B,
			password: secretB,
			reconnectPeriod: 0,
			will: { topic: offline, payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: false }
		});
		let victimClosed = false;
		victim.on('close', () => (victimClosed = true));
		const intruder = await connectDevice(A, secretA, B);
		// Logged in as A it is client A, whatever id it asked for: it publishes as A and B stays connected.
		await intruder.publishAsync(deviceTopic('350203', A, 'telemetry'), '{"intruder":true}', { qos: 1 });
		await waitFor(
			'the intruder’s marker',
			() => seen.filter((t) => t === deviceTopic('350203', A, 'telemetry')).length >= 2
		);
		expect(victimClosed).toBe(false);
		expect(seen).not.toContain(offline);
		const received: string[] = [];
		victim.on('message', (topic) => received.push(topic));
		await victim.subscribeAsync(deviceTopic('350203', B, 'cmd'), { qos: 1 });
		await watcher.publishAsync(deviceTopic('350203', B, 'cmd'), '{"still":"there"}', { qos: 1 });
		await waitFor('the victim to get its command', () => received.length === 1);
		await intruder.endAsync();
		await victim.endAsync();
	});

	it('does not let a device take over a platform client’s id, nor log in where the platform does', async () => {
		let watcherClosed = false;
		watcher.once('close', () => (watcherClosed = true));
		const intruder = await connectDevice(A, secretA, 'watcher');
		await intruder.publishAsync(deviceTopic('350203', A, 'event'), '{"after":"takeover"}', { qos: 1 });
		await waitFor(
			'the platform to still hear devices',
			() => seen.filter((t) => t === deviceTopic('350203', A, 'event')).length >= 2
		);
		expect(watcherClosed).toBe(false);
		await intruder.endAsync();
		await expect(
			mqtt.connectAsync(mosquitto.platformUrl, {
				clientId: 'watcher',
				username: A,
				password: secretA,
				reconnectPeriod: 0
			})
		).rejects.toThrowError(/Not authorized|Bad User Name or Password/i);
		expect(watcherClosed).toBe(false);
	});

	it('closes a device’s connection once Mosquitto reloads the files rewritten after its password was rotated or it was retired', async () => {
		const rotated = await connectDevice(B, secretB);
		const retired = await connectDevice(A, secretA);
		const closed = (client: MqttClient) =>
			new Promise<void>((resolve) => client.once('close', () => resolve()));
		const rotatedClosed = closed(rotated);
		const retiredClosed = closed(retired);
		const fresh = await rotateCredential(sql, householdId, B, 'test');
		expect(await retireDevice(sql, householdId, A, 'test')).toBe(true);
		// Until Mosquitto rereads its files, the old logins keep working.
		await rotated.publishAsync(deviceTopic('350203', B, 'telemetry'), '{}', { qos: 1 });
		await mosquitto.reload();
		await Promise.all([rotatedClosed, retiredClosed]);
		rotated.end(true);
		retired.end(true);
		await expect(connectDevice(B, secretB)).rejects.toThrowError(/Not authorized|Bad User Name or Password/i);
		await expect(connectDevice(A, secretA)).rejects.toThrowError(/Not authorized|Bad User Name or Password/i);
		const renewed = await connectDevice(B, fresh!.secret);
		await renewed.endAsync();
	});
});
