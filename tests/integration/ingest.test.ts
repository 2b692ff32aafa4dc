/**
 * From a device's MQTT message to an incident in PostgreSQL and a socket.io push, on the run's real
 * broker and database: storage, dedup under redelivery, grouping per household, dead letters, last will.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { raiseAlert } from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { KEPT_PAYLOAD_BYTES, findDeadLetters } from '../../src/lib/server/ingest/dead-letters';
import { renderMetrics } from '../../src/lib/server/metrics/metrics';
import { deviceTopic, MAX_PAYLOAD_BYTES } from '../../src/lib/mqtt/contract';
import { attachRealtime } from '../../src/lib/server/realtime/socket-server';
import { sessionInDatabase } from '../support/auth';
import type { Services } from '../../src/lib/server/services';
import type {
	ClientToServerEvents,
	CommandResult,
	IncidentCommand,
	IncidentSummary,
	ServerToClientEvents
} from '../../src/lib/realtime/events';
import { startTestServices } from '../support/services';
import { waitFor } from '../support/wait';

const DISTRICT = '350203';
const run = Date.now().toString(36);
const FALL = `T-FALL-${run}`;
const DOOR = `T-DOOR-${run}`;

let services: Services;
let sql: Sql;
let server: http.Server;
let consoleSocket: Socket<ServerToClientEvents, ClientToServerEvents>;
let device: MqttClient;
const commands: { type: string; text?: string }[] = [];
const pushes: { event: 'incident:opened' | 'incident:updated'; incident: IncidentSummary }[] = [];

const event = (eventId: string, type: string, extra: Record<string, unknown> = {}) =>
	JSON.stringify({ v: 1, eventId, type, at: new Date().toISOString(), ...extra });
/** The first fall, kept byte for byte: a redelivery repeats exactly this. */
const firstFall = event('e-1', 'fall', { confidence: 0.92 });

async function publish(deviceId: string, kind: 'event' | 'telemetry' | 'status', payload: string | Buffer) {
	await device.publishAsync(deviceTopic(DISTRICT, deviceId, kind), payload, { qos: 1 });
}

beforeAll(async () => {
	services = await startTestServices();
	sql = services.database.sql;
	server = http.createServer();
	attachRealtime(server, services);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	consoleSocket = connectSocket(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
		transports: ['websocket'],
		auth: { session: await sessionInDatabase(sql, 'dispatcher') }
	});
	consoleSocket.on('incident:opened', (incident) => pushes.push({ event: 'incident:opened', incident }));
	consoleSocket.on('incident:updated', (incident) => pushes.push({ event: 'incident:updated', incident }));
	await new Promise((resolve) => consoleSocket.once('server:hello', resolve));

	const householdId = await saveHousehold(sql, {
		externalId: `T-H-${run}`,
		districtCode: DISTRICT,
		residentName: '测试老人',
		location: [118.09, 24.455],
		consent: true
	});
	await registerDevice(sql, { id: FALL, householdId, kind: 'fall_detector' });
	await registerDevice(sql, { id: DOOR, householdId, kind: 'door' });
	device = await mqtt.connectAsync(inject('mqttUrl'), { clientId: FALL, protocolVersion: 4 });
	await device.subscribeAsync(deviceTopic(DISTRICT, FALL, 'cmd'), { qos: 1 });
	device.on('message', (topic, payload) => {
		if (topic.endsWith('/cmd')) commands.push(JSON.parse(payload.toString()));
	});
});

// Each step bounded, and each only for what beforeAll got to make: a promise waiting on a server
// that was never created, or on a client's unanswered packets, would hold the hook until it times out.
afterAll(async () => {
	await device?.endAsync(true);
	consoleSocket?.close();
	if (server?.listening) {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	}
	await services?.close();
});

describe('ingest', () => {
	it('turns a fall event into a stored event, a new incident and a push to every console', async () => {
		await publish(FALL, 'event', firstFall);
		const push = await waitFor('the incident:opened push', () =>
			pushes.find((p) => p.event === 'incident:opened')
		);
		expect(push.incident).toMatchObject({ kind: 'fall', severity: 'critical', state: 'new', alertCount: 1 });
		const [stored] =
			await sql`select type, incident_id from device_events where device_id = ${FALL} and event_id = 'e-1'`;
		expect(stored).toEqual({ type: 'fall', incidentId: String(push.incident.id) });
		const timeline =
			await sql`select actor, action from incident_events where incident_id = ${push.incident.id}`;
		expect(timeline).toEqual([{ actor: `device:${FALL}`, action: 'opened' }]);
	});

	it('stores a redelivered event once and does not count it twice', async () => {
		const before = services.ingest!.stats.duplicates;
		await publish(FALL, 'event', firstFall);
		await waitFor('the duplicate to be seen', () => services.ingest!.stats.duplicates > before);
		const [{ count }] = await sql`select count(*)::int as count from device_events where device_id = ${FALL}`;
		expect(count).toBe(1);
		const [incident] =
			await sql`select alert_count from incidents i join devices d on d.household_id = i.household_id
			where d.id = ${FALL} and i.state = 'new'`;
		expect(incident.alertCount).toBe(1);
	});

	it('refuses an event id used again for another event as a dead letter, not a duplicate', async () => {
		const since = new Date();
		const duplicates = services.ingest!.stats.duplicates;
		// The device restarted its counter: a new alarm under an old id must not pass for a redelivery.
		const reused = event('e-1', 'sos');
		await publish(FALL, 'event', reused);
		const [letter] = await waitFor('the dead letter', async () => {
			const rows = await sql`select reason, payload from dead_letters where received_at >= ${since}`;
			return rows.length ? rows : null;
		});
		expect(letter.reason).toMatch(/^event id e-1 was already used for fall at \d{4}-/);
		expect(Buffer.from(letter.payload).toString()).toBe(reused);
		expect(services.ingest!.stats.duplicates).toBe(duplicates);
		const [stored] = await sql`select type from device_events where device_id = ${FALL} and event_id = 'e-1'`;
		expect(stored.type).toBe('fall');
	});

	it('attaches a second alert of the household to its open incident, which keeps the worst severity', async () => {
		await publish(FALL, 'event', event('e-2', 'no_motion'));
		const push = await waitFor('the incident:updated push', () =>
			pushes.find((p) => p.event === 'incident:updated')
		);
		expect(push.incident).toMatchObject({
			kind: 'fall',
			severity: 'critical',
			alertCount: 2,
			kinds: ['fall', 'inactivity']
		});
		expect(pushes.filter((p) => p.event === 'incident:opened')).toHaveLength(1);
	});

	it('stores context events without raising an alert', async () => {
		const updates = pushes.length;
		await publish(FALL, 'event', event('e-3', 'door_closed'));
		await waitFor(
			'the door event',
			async () =>
				(await sql`select 1 from device_events where event_id = 'e-3' and device_id = ${FALL}`).length
		);
		expect(pushes.length).toBe(updates);
	});

	it('dead-letters malformed messages with a reason and keeps the good ones around them', async () => {
		const since = new Date();
		await publish(FALL, 'telemetry', JSON.stringify({ v: 1, at: new Date().toISOString(), battery: 81 }));
		await publish(FALL, 'event', '{"v":1, "eventId": "broken"');
		await publish(FALL, 'event', event('e-4', 'explosion'));
		await publish('T-NOBODY-1', 'event', event('e-5', 'sos'));
		await publish(FALL, 'telemetry', Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32));
		await device.publishAsync(`care/${DISTRICT}/devices/${FALL}/selfie`, 'hi', { qos: 1 });
		await publish(FALL, 'telemetry', JSON.stringify({ v: 1, at: new Date().toISOString(), battery: 79 }));
		const letters = await waitFor('five dead letters', async () => {
			const rows =
				await sql`select topic, reason from dead_letters where received_at >= ${since} order by id`;
			return rows.length >= 5 ? rows : null;
		});
		expect(letters.map((l) => l.reason)).toEqual([
			expect.stringMatching(/^payload is not UTF-8 JSON/),
			expect.stringMatching(/^event type: Invalid option/),
			'unknown device T-NOBODY-1',
			expect.stringMatching(/exceeds the 16384-byte limit/),
			expect.stringMatching(/^topic .*selfie does not match/)
		]);
		await waitFor(
			'the last telemetry',
			async () => (await sql`select battery from devices where id = ${FALL}`)[0].battery === 79
		);
		// What the operator page shows: newest first, the bytes, the oversized one's prefix and size.
		const page = await findDeadLetters(sql, { page: 1 });
		expect(page.letters[0].reason).toMatch(/selfie does not match/);
		expect(Buffer.from(page.letters[0].payload).toString()).toBe('hi');
		expect(page.letters[1].size).toBe(MAX_PAYLOAD_BYTES + 1);
		expect(page.letters[1].payload).toHaveLength(KEPT_PAYLOAD_BYTES);
		// …and what monitoring scrapes: the refusals counted by this process and in the table.
		const metrics = await renderMetrics(services);
		const counted = metrics.match(/^carecircle_ingest_dead_letters_total\{node="[^"]+"\} (\d+)$/m);
		expect(Number(counted?.[1])).toBeGreaterThanOrEqual(5);
		expect(metrics).toMatch(/^carecircle_dead_letters\{reason="oversized"\} [1-9]\d*$/m);
	});

	it('dead-letters payloads with a NUL byte or a NUL character, naming the field, without losing the batch', async () => {
		const since = new Date();
		await publish(FALL, 'event', Buffer.from('{"v":1,\u0000}'));
		await publish(FALL, 'event', event('nul\u0000id', 'motion'));
		// PostgreSQL text cannot hold NUL: the contract refuses it in every string field.
		await publish(FALL, 'status', JSON.stringify({ v: 1, state: 'online', firmware: 'v1\u0000' }));
		await publish(FALL, 'event', event('e-after-nul', 'motion'));
		const letters = await waitFor('three dead letters', async () => {
			const rows =
				await sql`select reason, payload from dead_letters where received_at >= ${since} order by id`;
			return rows.length >= 3 ? rows : null;
		});
		expect(letters[0].reason).toMatch(/^payload is not UTF-8 JSON/);
		expect(letters[0].payload.includes(0)).toBe(true);
		expect(letters.slice(1).map((l) => l.reason)).toEqual([
			'event eventId: must not contain NUL characters',
			'status firmware: must not contain NUL characters'
		]);
		await waitFor(
			'the good event after them',
			async () =>
				(await sql`select 1 from device_events where device_id = ${FALL} and event_id = 'e-after-nul'`)
					.length === 1
		);
	});

	it('marks a device offline at once from its last will and raises a device-offline alert', async () => {
		const door = await mqtt.connectAsync(inject('mqttUrl'), {
			clientId: DOOR,
			protocolVersion: 4,
			will: {
				topic: deviceTopic(DISTRICT, DOOR, 'status'),
				payload: Buffer.from(JSON.stringify({ v: 1, state: 'offline' })),
				qos: 1,
				retain: false
			}
		});
		await door.publishAsync(
			deviceTopic(DISTRICT, DOOR, 'status'),
			JSON.stringify({ v: 1, state: 'online', heartbeatS: 60 }),
			{ qos: 1 }
		);
		await waitFor(
			'the door to be online',
			async () => (await sql`select online from devices where id = ${DOOR}`)[0].online
		);
		door.stream.destroy(); // a crash, not a clean disconnect: the broker sends the will
		await waitFor(
			'the door to be offline',
			async () => !(await sql`select online from devices where id = ${DOOR}`)[0].online
		);
		const push = await waitFor('the offline alert', () =>
			pushes.find((p) => p.incident.kinds.includes('device_offline'))
		);
		expect(push.incident.alertCount).toBe(3);
		door.end(true);
		// It comes back: the incident says so, for the dispatcher deciding what the alert was.
		const again = await mqtt.connectAsync(inject('mqttUrl'), { clientId: DOOR, protocolVersion: 4 });
		await again.publishAsync(
			deviceTopic(DISTRICT, DOOR, 'status'),
			JSON.stringify({ v: 1, state: 'online' }),
			{
				qos: 1
			}
		);
		const [back] = await waitFor('the device back on the incident', async () => {
			const rows = await sql`
				select actor from incident_events where incident_id = ${push.incident.id} and action = 'device_back'`;
			return rows.length ? rows : null;
		});
		expect(back.actor).toBe(`device:${DOOR}`);
		await again.endAsync();
	});
});

describe('console commands on an incident', () => {
	const act = (socket: Socket<ServerToClientEvents, ClientToServerEvents>, command: IncidentCommand) =>
		new Promise<CommandResult<IncidentSummary>>((resolve) => socket.emit('incident:act', command, resolve));

	it('acknowledges once when two consoles press at the same moment, and tells the second why not', async () => {
		const second: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(
			`http://127.0.0.1:${(server.address() as AddressInfo).port}`,
			{ transports: ['websocket'], auth: { session: await sessionInDatabase(sql, 'dispatcher') } }
		);
		await new Promise((resolve) => second.once('server:hello', resolve));
		const incidentId = pushes.find((p) => p.event === 'incident:opened')!.incident.id;
		const results = await Promise.all([
			act(consoleSocket, { incidentId, action: 'acknowledge' }),
			act(second, { incidentId, action: 'acknowledge' })
		]);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		// The refusal names who answered and when, in words and as data for the console.
		expect(results.find((r) => !r.ok)).toMatchObject({
			ok: false,
			code: 'CONFLICT',
			message: expect.stringMatching(/^already acknowledged by .+ at \d\d:\d\d:\d\d$/),
			detail: { kind: 'already_acknowledged', by: expect.any(String), at: expect.anything() }
		});
		await waitFor('the acknowledged push', () =>
			pushes.find((p) => p.incident.id === incidentId && p.incident.state === 'acknowledged')
		);
		const command = await waitFor('the help-coming command on the device', () =>
			commands.find((c) => c.type === 'help_coming')
		);
		expect(command.text).toMatch(/工作人员/);
		// Written on the timeline once the broker took the command, which may be after the device got it.
		await waitFor(
			'the command on the timeline',
			async () =>
				(
					await sql`select 1 from incident_events where incident_id = ${incidentId} and action = 'downlink_sent'`
				).length > 0
		);
		second.close();
	});

	it('refuses to resolve without an outcome and closes with one, keeping the whole timeline', async () => {
		const incidentId = pushes.find((p) => p.event === 'incident:opened')!.incident.id;
		const refused = await act(consoleSocket, { incidentId, action: 'resolve' });
		expect(refused).toMatchObject({
			ok: false,
			code: 'INVALID_TRANSITION',
			message: expect.stringMatching(/needs an outcome/)
		});
		const bad = await act(consoleSocket, { incidentId: -1, action: 'fly' } as IncidentCommand);
		expect(bad).toMatchObject({ ok: false, code: 'BAD_COMMAND' });
		const closed = await act(consoleSocket, { incidentId, action: 'resolve', outcome: 'home_visit' });
		expect(closed).toMatchObject({ ok: true, value: { state: 'resolved' } });
		const timeline =
			await sql`select action, from_state, to_state from incident_events where incident_id = ${incidentId} order by id`;
		expect(timeline.map((t) => t.action)).toEqual([
			'opened',
			'alert_attached',
			// The fall, then no motion: the second observation raises the confidence.
			'confidence_changed',
			'alert_attached',
			'device_back',
			'acknowledge',
			'downlink_sent',
			'resolve'
		]);
		expect(timeline.at(-1)).toEqual({ action: 'resolve', fromState: 'acknowledged', toState: 'resolved' });
		const [row] =
			await sql`select outcome, closed_at is not null as closed from incidents where id = ${incidentId}`;
		expect(row).toEqual({ outcome: 'home_visit', closed: true });
	});
});

describe('one open incident per household', () => {
	it('holds when ten alerts of a new household arrive at once on separate connections', async () => {
		const householdId = await saveHousehold(sql, {
			externalId: `T-H2-${run}`,
			districtCode: DISTRICT,
			residentName: '并发测试',
			location: [118.1, 24.47],
			consent: true
		});
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				sql.begin((tx) =>
					raiseAlert(tx as unknown as Sql, {
						householdId,
						districtCode: DISTRICT,
						communityCode: null,
						location: [118.1, 24.47],
						kind: i % 2 ? 'sos' : 'smoke',
						severity: 'critical',
						at: new Date(),
						actor: 'test',
						detail: {}
					})
				)
			)
		);
		expect(results.filter((r) => r.opened)).toHaveLength(1);
		const open =
			await sql`select alert_count from incidents where household_id = ${householdId} and state = 'new'`;
		expect(open).toEqual([{ alertCount: 10 }]);
	});
});
