/**
 * Simulated responders against the built server: a fall reported over MQTT opens an incident, a
 * console assigns the nearest simulated responder, who accepts, walks the street network to the
 * home, and reports arrival and the outcome — and is free again afterwards. Everything the
 * simulator does goes through HTTP and socket.io.
 *
 * Needs a real PostgreSQL (DATABASE_URL): the test registers the household and its device in the
 * server's database. The server runs its own embedded broker even when MQTT_URL is set, so that
 * no other platform sharing that broker's ingest subscription can take the test's alert.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { startResponders, type RunningResponders } from '../../simulators/responders/index';
import type {
	ClientToServerEvents,
	CommandResult,
	IncidentDetail,
	IncidentSummary,
	ResponderSummary,
	ServerToClientEvents
} from '../../src/lib/realtime/events';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { loginAs, simulatorsLogInAsAdmin, type TestSession } from '../support/auth';
import { spawnServer, waitForReady } from '../support/spawn-server';
import { waitFor } from '../support/wait';

const DISTRICT = '350203';
const run = Date.now().toString(36);
const DEVICE = `T-SIMR-${run}`;

describe.skipIf(!process.env.DATABASE_URL)('simulated responders', () => {
	let sql: Sql;
	let dataDir: string;
	let server: ReturnType<typeof spawnServer>;
	let baseUrl: string;
	let brokerUrl: string;
	let responders: RunningResponders | undefined;
	let console_: Socket<ServerToClientEvents, ClientToServerEvents>;
	const pushes: IncidentSummary[] = [];
	const log: string[] = [];
	let dispatcher: TestSession;

	const get = async <T>(url: string): Promise<T> => {
		const response = await fetch(new URL(url, baseUrl), { headers: dispatcher.headers });
		expect(response.status, url).toBe(200);
		return (await response.json()) as T;
	};

	beforeAll(async () => {
		dataDir = await mkdtemp(path.join(tmpdir(), 'carecircle-sim-'));
		server = spawnServer({
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			DATABASE_URL: process.env.DATABASE_URL!,
			MQTT_EMBEDDED_PORT: '0',
			SUPERVISION_INTERVAL_MS: '500'
		});
		let output = '';
		server.stdout!.on('data', (chunk) => (output += chunk));
		baseUrl = await waitForReady(server);
		brokerUrl = /embedded aedes broker listening on (mqtt:\/\/[^\s"]+)/.exec(output)![1];
		sql = createSql(process.env.DATABASE_URL!, { max: 1 });
		simulatorsLogInAsAdmin(baseUrl);
		dispatcher = await loginAs(baseUrl, 'dispatcher');
		console_ = io(baseUrl, { transports: ['websocket'], auth: { session: dispatcher.session } });
		console_.on('incident:opened', (incident) => pushes.push(incident));
		console_.on('incident:updated', (incident) => pushes.push(incident));
		await new Promise<void>((resolve) => console_.once('connect', () => resolve()));
	});

	afterAll(async () => {
		await responders?.stop();
		console_?.disconnect();
		if (server && server.exitCode === null) {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			server.kill('SIGTERM');
			await exited;
		}
		await sql?.end();
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	});

	it('walks the nearest simulated responder to a fall and back to available, with an outcome', async () => {
		onTestFailed(() => console.log(`simulator log:\n${log.join('\n')}`));
		responders = await startResponders({
			url: baseUrl,
			districtCode: DISTRICT,
			count: 3,
			seed: 42,
			speed: 200,
			// Deterministic for the test: everyone accepts (the decision model has its unit tests).
			odds: { decline: 0, ignore: 0 },
			log: (line) => log.push(line)
		});
		const ours = new Set(responders.responderIds);
		const everyone = await get<ResponderSummary[]>(`/api/districts/${DISTRICT}/responders`);
		const first = everyone.find((r) => r.id === responders!.responderIds[0])!;
		expect(first.status).toBe('available');
		expect(first.location).not.toBeNull();

		// A home about 300 m from the first simulated responder, with a fall detector.
		const home: [number, number] = [first.location![0] + 0.002, first.location![1] + 0.001];
		const householdId = await saveHousehold(sql, {
			externalId: `T-SIMR-H-${run}`,
			districtCode: DISTRICT,
			residentName: '模拟测试',
			location: home,
			consent: true
		});
		const { secret } = await registerDevice(sql, { id: DEVICE, householdId, kind: 'fall_detector' });
		const device = await mqtt.connectAsync(brokerUrl, {
			clientId: DEVICE,
			username: DEVICE,
			password: secret
		});
		await device.publishAsync(
			deviceTopic(DISTRICT, DEVICE, 'event'),
			JSON.stringify({
				v: 1,
				eventId: `fall-${run}`,
				type: 'fall',
				at: new Date().toISOString(),
				confidence: 0.9
			}),
			{ qos: 1 }
		);
		await device.endAsync();
		const opened = await waitFor('the fall to open an incident', () =>
			pushes.find((p) => p.householdId === householdId)
		);

		// The console picks the nearest of the simulated responders from the proposals and assigns them.
		const detail = await get<IncidentDetail>(`/api/districts/${DISTRICT}/incidents/${opened.id}`);
		const nearest = detail.proposals.find((p) => ours.has(p.responder.id))!;
		expect(nearest, 'a simulated responder among the proposals').toBeDefined();
		const assigned = await new Promise<CommandResult<IncidentSummary>>((resolve) =>
			console_.emit('incident:assign', { incidentId: opened.id, responderId: nearest.responder.id }, resolve)
		);
		expect(assigned).toMatchObject({ ok: true, value: { state: 'assigned' } });

		// Closed on scene with an outcome; one of false alarm closes it as a false alarm.
		const closed = await waitFor(
			'the responder to close the incident',
			() => pushes.find((p) => p.id === opened.id && (p.state === 'resolved' || p.state === 'false_alarm')),
			30_000
		);
		const states = pushes.filter((p) => p.id === opened.id).map((p) => p.state);
		expect(states).toEqual(expect.arrayContaining(['assigned', 'en_route', 'on_scene', closed.state]));
		expect(states.indexOf('on_scene')).toBeLessThan(states.indexOf(closed.state));
		expect(closed.responder).toBeNull();

		const [row] = await sql`select outcome from incidents where id = ${opened.id}`;
		expect(['home_visit', 'false_alarm', 'sent_to_hospital', 'referred_to_emergency', 'no_access']).toContain(
			row.outcome
		);
		const after = await get<ResponderSummary[]>(`/api/districts/${DISTRICT}/responders`);
		const responder = after.find((r) => r.id === nearest.responder.id)!;
		expect(responder.status).toBe('available');
		// It walked there: its last reported position is at the door.
		expect(Math.abs(responder.location![0] - home[0])).toBeLessThan(0.0001);
		expect(Math.abs(responder.location![1] - home[1])).toBeLessThan(0.0001);
		expect(responders.stats).toMatchObject({ accepted: 1, departed: 1, arrived: 1, resolved: 1, errors: 0 });
		expect(responders.stats.positions).toBeGreaterThan(2);
	}, 40_000);
});
