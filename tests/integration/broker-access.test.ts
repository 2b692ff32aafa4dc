/**
 * The embedded broker's logins and topic rules, with device credentials from the real database:
 * a device logs in with its own password and can neither publish as another device nor read
 * another device's commands; a packet over the size limit closes its sender's connection.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client';
import { deviceCredentialHash, registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { retireDevice, rotateCredential } from '../../src/lib/server/devices/device-admin';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/lib/server/mqtt/broker';
import { MAX_PACKET_BYTES } from '../../src/lib/server/mqtt/packet-size-guard';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { prepareDatabase } from '../support/database';
import { waitFor } from '../support/wait';

const run = Date.now().toString(36);
const A = `T-A-${run}`;
const B = `T-B-${run}`;
const platform = { username: 'platform-test', password: 'platform-secret' };

let sql: Sql;
let broker: EmbeddedBroker;
let watcher: MqttClient;
const refusals: { clientId: string; topic: string; reason: string }[] = [];
const seen: string[] = [];
let secretA = '';
let secretB = '';
let householdId = 0;

const connectDevice = (id: string, password: string) =>
	mqtt.connectAsync(broker.url, {
		clientId: id,
		username: id,
		password,
		reconnectPeriod: 0,
		protocolVersion: 4
	});

beforeAll(async () => {
	sql = await prepareDatabase();
	householdId = await saveHousehold(sql, {
		externalId: `T-HA-${run}`,
		districtCode: '350203',
		residentName: '权限测试',
		location: [118.09, 24.455],
		consent: true
	});
	secretA = (await registerDevice(sql, { id: A, householdId, kind: 'sos_button' })).secret;
	secretB = (await registerDevice(sql, { id: B, householdId, kind: 'smoke' })).secret;
	broker = await startEmbeddedBroker('127.0.0.1', 0, {
		platform,
		credentialHashOf: (id) => deviceCredentialHash(sql, id),
		onRefusedPublish: (refusal) => refusals.push(refusal)
	});
	watcher = await mqtt.connectAsync(broker.url, { clientId: 'watcher', ...platform, protocolVersion: 4 });
	await watcher.subscribeAsync('care/#', { qos: 1 });
	watcher.on('message', (topic) => seen.push(topic));
});

afterAll(async () => {
	await watcher?.endAsync(true);
	await broker?.close();
	await sql?.end();
});

describe('embedded broker access', () => {
	it('refuses a device with a wrong password, an unknown device and a user name that is not the client id', async () => {
		await expect(connectDevice(A, 'wrong')).rejects.toThrowError(/Bad username or password/i);
		await expect(connectDevice('T-NOBODY-1', 'x')).rejects.toThrowError(/Bad username or password/i);
		await expect(
			mqtt.connectAsync(broker.url, {
				clientId: 'someone',
				username: A,
				password: secretA,
				reconnectPeriod: 0,
				protocolVersion: 4
			})
		).rejects.toThrowError(/Bad username or password/i);
	});

	it('lets a device publish under its own id', async () => {
		const device = await connectDevice(A, secretA);
		await device.publishAsync(deviceTopic('350203', A, 'telemetry'), '{}', { qos: 1 });
		await waitFor('the watcher to see it', () => seen.includes(deviceTopic('350203', A, 'telemetry')));
		await device.endAsync();
	});

	it('stops a device from publishing under another device’s id, and records why', async () => {
		const device = await connectDevice(A, secretA);
		const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
		device.publish(deviceTopic('350203', B, 'event'), '{"v":1}', { qos: 1 });
		await closed;
		expect(refusals).toContainEqual(
			expect.objectContaining({
				clientId: A,
				topic: deviceTopic('350203', B, 'event'),
				reason: `device ${A} may not publish as device ${B}`
			})
		);
		expect(seen).not.toContain(deviceTopic('350203', B, 'event'));
		device.end(true);
	});

	it('lets a device read only its own command topic', async () => {
		const device = await connectDevice(A, secretA);
		const [own] = await device.subscribeAsync(deviceTopic('350203', A, 'cmd'), { qos: 1 });
		expect(own.qos).toBe(1);
		// The broker answers 128 (refused) in the SUBACK, which MQTT.js reports as an error.
		await expect(device.subscribeAsync(deviceTopic('350203', B, 'cmd'), { qos: 1 })).rejects.toThrowError(
			/Subscribe error/
		);
		await expect(device.subscribeAsync('care/#', { qos: 1 })).rejects.toThrowError(/Subscribe error/);
		await device.endAsync();
	});

	it('disconnects a device that sends a packet over the size limit, and passes one at the limit', async () => {
		const topic = deviceTopic('350203', A, 'telemetry');
		// Fixed header (1 + 3 length bytes), topic length and topic, packet id: the rest is payload.
		const payloadAtLimit = MAX_PACKET_BYTES - 4 - 2 - Buffer.byteLength(topic) - 2;
		const device = await connectDevice(A, secretA);
		await device.publishAsync(topic, Buffer.alloc(payloadAtLimit, 0x20), { qos: 1 });
		const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
		device.publish(topic, Buffer.alloc(payloadAtLimit + 1, 0x20), { qos: 1 });
		await closed;
		device.end(true);
		// The broker is fine and the next device gets through.
		const next = await connectDevice(A, secretA);
		await next.publishAsync(deviceTopic('350203', A, 'status'), '{}', { qos: 1 });
		await waitFor('the next message', () => seen.includes(deviceTopic('350203', A, 'status')));
		expect(seen.filter((t) => t === topic)).toHaveLength(2);
		await next.endAsync();
	});

	it('closes a device’s live connection at once when its password is rotated or it is retired', async () => {
		const closed = (client: MqttClient) =>
			new Promise<void>((resolve) => client.once('close', () => resolve()));
		const rotated = await connectDevice(A, secretA);
		const retired = await connectDevice(B, secretB);
		const rotatedClosed = closed(rotated);
		const retiredClosed = closed(retired);
		const fresh = await rotateCredential(sql, householdId, A, 'test');
		expect(await retireDevice(sql, householdId, B, 'test')).toBe(true);
		await Promise.all([rotatedClosed, retiredClosed]);
		rotated.end(true);
		retired.end(true);
		await expect(connectDevice(A, secretA)).rejects.toThrowError(/Bad username or password/i);
		await expect(connectDevice(B, secretB)).rejects.toThrowError(/Bad username or password/i);
		await (await connectDevice(A, fresh!.secret)).endAsync();
	});
});
