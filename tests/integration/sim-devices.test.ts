/**
 * The device fleet against the platform's registration API and the run's real broker and database:
 * it registers its households and devices over HTTP, every device logs in and reports, and when the
 * fleet dies without a goodbye the broker's last wills mark its devices offline.
 *
 * The HTTP server here answers the fleet's calls with the same functions and schemas the SvelteKit
 * routes use (src/lib/server/devices/api.ts); the routes themselves need the built app.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { populationCellsOfDistrict } from '../../src/lib/server/coverage/population-queries';
import {
	deviceBody,
	householdBody,
	registerDeviceFromApi,
	registerHouseholdFromApi,
	rotateCredentialFromApi,
	type ApiOutcome
} from '../../src/lib/server/devices/api';
import { checkHealth } from '../../src/lib/server/health';
import type { Services } from '../../src/lib/server/services';
import { startFleet, type Fleet, type PublishedMessage } from '../../simulators/devices/fleet';
import { useLogin } from '../../simulators/platform-session';
import { startTestServices } from '../support/services';
import { waitFor } from '../support/wait';

const DISTRICT = '350203';
const run = Date.now().toString(36);

let services: Services;
let server: http.Server;
let baseUrl: string;
let fleet: Fleet | undefined;
const sent: string[] = [];
const FLEET_SESSION = 'S'.repeat(43);

async function readBody<T>(request: http.IncomingMessage, schema: z.ZodType<T>): Promise<ApiOutcome<T>> {
	let text = '';
	for await (const chunk of request) text += chunk;
	const parsed = schema.safeParse(JSON.parse(text));
	return parsed.success
		? { ok: true, value: parsed.data }
		: { ok: false, status: 400, message: parsed.error.issues[0].message };
}

/** The registration routes and the two reads the fleet needs, as the app serves them. */
async function answer(request: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
	const { sql } = services.database;
	const actor = 'test:sim-devices';
	const path = request.url ?? '';
	const reply = <T>(outcome: ApiOutcome<T>, status = 201) =>
		outcome.ok
			? { status, body: outcome.value }
			: { status: outcome.status, body: { message: outcome.message } };
	// The fleet logs in first; every other answer here insists on the session it was given.
	if (path === '/api/session') return { status: 200, body: { session: FLEET_SESSION } };
	if (request.headers.cookie !== `cc_session=${FLEET_SESSION}`)
		return { status: 401, body: { message: 'LOGIN_REQUIRED' } };
	if (path === '/api/health') return { status: 200, body: await checkHealth(services) };
	if (path === `/api/districts/${DISTRICT}/population-cells`)
		return { status: 200, body: await populationCellsOfDistrict(sql, DISTRICT) };
	if (path === `/api/districts/${DISTRICT}/households`) {
		const body = await readBody(request, householdBody);
		return reply(body.ok ? await registerHouseholdFromApi(sql, DISTRICT, body.value, actor) : body);
	}
	if (path === `/api/districts/${DISTRICT}/devices`) {
		const body = await readBody(request, deviceBody);
		return reply(body.ok ? await registerDeviceFromApi(sql, DISTRICT, body.value, actor) : body);
	}
	const rotate = new RegExp(`^/api/districts/${DISTRICT}/devices/([^/]+)/credential$`).exec(path);
	if (rotate) return reply(await rotateCredentialFromApi(sql, DISTRICT, rotate[1], actor), 200);
	return { status: 404, body: { message: 'not found' } };
}

beforeAll(async () => {
	services = await startTestServices({ ROLES: 'ingest' });
	server = http.createServer((request, response) => {
		answer(request).then(
			({ status, body }) => {
				response.writeHead(status, { 'content-type': 'application/json' });
				response.end(JSON.stringify(body));
			},
			(error: Error) => {
				response.writeHead(500);
				response.end(JSON.stringify({ message: error.message }));
			}
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	useLogin(baseUrl, { username: 'fleet', password: 'fleet password' });
});

afterAll(async () => {
	fleet?.kill();
	await new Promise((resolve) => server?.close(resolve));
	await services?.close();
});

describe('the simulated device fleet', () => {
	it('registers over HTTP, reports over MQTT, and goes offline by last will when killed', async () => {
		const { sql } = services.database;
		fleet = await startFleet({
			url: baseUrl,
			households: 5,
			seed: `it-${run}`,
			speed: 3600,
			mqttUrl: inject('mqttUrl'),
			districtCode: DISTRICT,
			// 08:00 in Xiamen: doors open and people move about.
			startAt: new Date(`${new Date().toISOString().slice(0, 10)}T08:00:00+08:00`),
			minTelemetryS: 1,
			onEvent: (_device, _event, eventId) => sent.push(eventId)
		});
		const ids = fleet.devices.map((d) => d.id);
		expect(fleet.households).toHaveLength(5);
		expect(ids.length).toBe(fleet.households.reduce((n, h) => n + h.devices.length, 0));

		const [registered] = await sql<{ devices: number; households: number; audited: number }[]>`
			select count(*)::int as devices, count(distinct household_id)::int as households,
				(select count(*)::int from audit_log where action = 'device.create' and subject_id = any(${ids})) as audited
			from devices where id = any(${ids})`;
		expect(registered).toEqual({ devices: ids.length, households: 5, audited: ids.length });

		await waitFor(
			'every device to be online with its telemetry stored',
			async () => {
				const [state] = await sql<{ reporting: number; withBattery: number; batteryDevices: number }[]>`
					select count(*) filter (where online and last_seen is not null)::int as reporting,
						count(*) filter (where battery is not null)::int as with_battery,
						count(*) filter (where kind not in ('gas', 'bed_vitals'))::int as battery_devices
					from devices where id = any(${ids})`;
				return state.reporting === ids.length && state.withBattery === state.batteryDevices;
			},
			10_000
		);
		await waitFor('an event to be sent and stored', async () => {
			if (sent.length === 0) return false;
			const stored = await sql`select 1 from device_events where event_id = any(${sent}) limit 1`;
			return stored.length > 0;
		});

		fleet.kill();
		await waitFor(
			'the last wills to mark every device offline',
			async () => {
				const [{ online }] = await sql<{ online: number }[]>`
					select count(*) filter (where online)::int as online from devices where id = any(${ids})`;
				return online === 0;
			},
			10_000
		);
		fleet = undefined;
	});

	it('cuts the power of some devices only, and publishes scripted and raw messages as a given device', async () => {
		const { sql } = services.database;
		const published: PublishedMessage[] = [];
		fleet = await startFleet({
			url: baseUrl,
			households: 2,
			seed: `it-hooks-${run}`,
			mqttUrl: inject('mqttUrl'),
			districtCode: DISTRICT,
			onPublish: (message) => published.push(message)
		});
		const [dark, lit] = fleet.households.map((h) => h.devices.map((d) => d.id));
		await waitFor('every device to say it is online', async () => {
			const [{ online }] = await sql<{ online: number }[]>`
				select count(*) filter (where online)::int as online from devices where id = any(${[...dark, ...lit]})`;
			return online === dark.length + lit.length;
		});

		expect(fleet.kill(dark).sort()).toEqual([...dark].sort());
		expect(fleet.isConnected(dark[0])).toBe(false);
		expect(fleet.isConnected(lit[0])).toBe(true);
		await expect(fleet.publishEvent(dark[0], 'sos')).rejects.toThrow(/was killed/);

		const sos = await fleet.publishEvent(lit[0], 'sos');
		expect(sos).toMatchObject({ deviceId: lit[0], kind: 'event', eventType: 'sos', qos: 1 });
		expect(sos.ackedAt).not.toBeNull();
		const topic = `care/${DISTRICT}/devices/${lit[0]}/event`;
		const raw = await fleet.publishRaw(lit[0], topic, '{"v":1,', 1);
		expect(raw).toMatchObject({ kind: 'raw', topic, qos: 1 });
		expect(published).toContain(sos);
		expect(published).toContain(raw);

		await waitFor(
			'the dark devices offline, the others online, the SOS stored and the bad message dead-lettered',
			async () => {
				const [state] = await sql<{ darkOnline: number; litOnline: number; sos: number; letters: number }[]>`
					select (select count(*) filter (where online)::int from devices where id = any(${dark})) as dark_online,
						(select count(*) filter (where online)::int from devices where id = any(${lit})) as lit_online,
						(select count(*)::int from device_events where device_id = ${lit[0]} and event_id = ${sos.eventId!}) as sos,
						(select count(*)::int from dead_letters where topic = ${topic}) as letters`;
				return (
					state.darkOnline === 0 && state.litOnline === lit.length && state.sos === 1 && state.letters === 1
				);
			},
			10_000
		);
		await fleet.stop();
		fleet = undefined;
	});

	it('sends a message again while the broker says nobody subscribes to it, until someone does', async (ctx) => {
		// Only an MQTT 5 broker says so (PUBACK 0x10); on a 3.1.1 one (aedes) devices cannot tell.
		const listener = await mqtt
			.connectAsync(inject('mqttUrl'), { protocolVersion: 5, reconnectPeriod: 0 })
			.catch(() => null);
		if (!listener) return ctx.skip();
		const published: PublishedMessage[] = [];
		fleet = await startFleet({
			url: baseUrl,
			households: 1,
			seed: `it-unheard-${run}`,
			mqttUrl: inject('mqttUrl'),
			districtCode: DISTRICT,
			onPublish: (message) => published.push(message)
		});
		const device = fleet.devices[0].id;
		// One level below the device's topics: not even the ingest's filter matches it.
		const topic = `care/${DISTRICT}/devices/${device}/event/unheard-${run}`;
		const settled = fleet.publishRaw(device, topic, 'help', 1);
		await waitFor('the message sent twice more', () => fleet!.stats().resent >= 2);
		expect(published.some((m) => m.topic === topic)).toBe(false);

		const heard: string[] = [];
		listener.on('message', (_topic, payload) => heard.push(payload.toString()));
		await listener.subscribeAsync(topic, { qos: 1 });
		const message = await settled;
		expect(message.ackedAt).not.toBeNull();
		expect(message.error).toBeUndefined();
		await waitFor('the listener to have it', () => heard.includes('help'));
		await listener.endAsync();
		await fleet.stop();
		fleet = undefined;
	});
});
