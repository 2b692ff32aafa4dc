/**
 * The Mosquitto files `npm run mqtt:acl` writes, on a real Mosquitto started by the test with the
 * shipped deploy/mosquitto/mosquitto.conf on a spare port (the machine's own Mosquitto on 1883 keeps
 * its stock config): a device logs in with its password and can neither publish as another device
 * nor read another device's commands.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
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
	const seen: string[] = [];

	beforeAll(async () => {
		sql = await prepareDatabase();
		const householdId = await saveHousehold(sql, {
			externalId: `T-HM-${run}`,
			districtCode: '350203',
			residentName: 'ACL 测试',
			location: [118.09, 24.455],
			consent: true
		});
		secretA = (await registerDevice(sql, { id: A, householdId, kind: 'sos_button' })).secret;
		await registerDevice(sql, { id: B, householdId, kind: 'smoke' });

		mosquitto = await startTestMosquitto(sql);
		url = mosquitto.url;
		watcher = await mqtt.connectAsync(url, { ...mosquitto.platform, clientId: 'watcher' });
		await watcher.subscribeAsync('care/#', { qos: 1 });
		watcher.on('message', (topic) => seen.push(topic));
	});

	afterAll(async () => {
		await watcher?.endAsync();
		await mosquitto?.stop();
		await sql?.end();
	});

	const connectDevice = (id: string, password: string) =>
		mqtt.connectAsync(url, { clientId: id, username: id, password, reconnectPeriod: 0 });

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
});
