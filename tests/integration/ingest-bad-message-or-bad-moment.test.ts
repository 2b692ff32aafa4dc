/**
 * A bad message or a bad moment: when PostgreSQL refuses a message itself (SQLSTATE class 22 or 23)
 * it becomes one dead letter and the messages batched with it are stored; when the database is the
 * trouble (its backends terminated, its tables out of reach) the messages are held unacknowledged
 * and nothing is lost, not even by a worker stopping meanwhile. Statuses apply in the order of their
 * times. The refusal is played by a trigger of the test's on device_events, for the event ids of
 * this run that start with `poison`.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { STOP_DRAIN_LIMIT_MS, isTransient } from '../../src/lib/server/ingest/ingest-worker';
import type { Services } from '../../src/lib/server/services';
import { prepareDatabase } from '../support/database';
import { hasMosquitto, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { startTestServices } from '../support/services';
import { waitFor } from '../support/wait';

const run = `bm${Date.now().toString(36)}`;
const DISTRICT = '350203';
const DEVICES = Array.from({ length: 5 }, (_, i) => `T-BM-${i}-${run}`);
const STATUS_DEVICE = `T-BM-STATUS-${run}`;
const real = inject('servicesKind') === 'real';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const motion = (eventId: string, type = 'motion') =>
	JSON.stringify({ v: 1, eventId, type, at: new Date().toISOString() });

/** Events of this run stored, by id (a test's own prefix), read again after a cut connection. */
async function storedIds(sql: Sql, prefix: string): Promise<string[] | null> {
	try {
		const rows = await sql<{ eventId: string }[]>`
			select event_id from device_events
			where device_id = any(${sql.array(DEVICES)}) and event_id like ${`${prefix}%`}`;
		return rows.map((row) => row.eventId);
	} catch (error) {
		if (isTransient(error)) return null;
		throw error;
	}
}

let setup: Sql;
let services: Services;
let sql: Sql;
let publisher: MqttClient;

beforeAll(async () => {
	setup = await prepareDatabase();
	const householdId = await saveHousehold(setup, {
		externalId: `T-HBM-${run}`,
		districtCode: DISTRICT,
		residentName: '坏消息测试',
		location: [118.1, 24.46],
		consent: true
	});
	for (const id of DEVICES) await registerDevice(setup, { id, householdId, kind: 'inactivity' });
	await registerDevice(setup, { id: STATUS_DEVICE, householdId, kind: 'door' });
	// A value PostgreSQL refuses, as it would a malformed one: invalid_parameter_value (class 22).
	await setup.unsafe(`
		create function refuse_poison_${run}() returns trigger language plpgsql as $$
		begin
			if new.event_id like 'poison%' and new.device_id like '%-${run}' then
				raise exception 'refused by the test: %', new.event_id using errcode = '22023';
			end if;
			return new;
		end $$;
		create trigger refuse_poison_${run} before insert on device_events
			for each row execute function refuse_poison_${run}();`);
	services = await startTestServices({ ROLES: 'ingest' });
	sql = services.database.sql;
	publisher = await mqtt.connectAsync(inject('mqttUrl'), { clientId: `bm-${run}`, reconnectPeriod: 0 });
});

afterAll(async () => {
	await publisher?.endAsync(true);
	await services?.close();
	await setup
		?.unsafe(
			`drop trigger if exists refuse_poison_${run} on device_events; drop function if exists refuse_poison_${run}();`
		)
		.catch(() => {});
	await setup?.end();
});

describe('a bad message', () => {
	it('becomes one dead letter while the messages batched with it are stored', async () => {
		const ids = Array.from({ length: 21 }, (_, i) => (i === 10 ? 'poison-1' : `good-${i}`));
		const deadLetters = services.ingest!.stats.deadLetters;
		// The ingest's first insert waits for this lock, so the rest arrive meanwhile and are filed
		// together, the bad one among them. Not behind PGlite, whose one backend would wait for it
		// too: there the messages published at once are filed in whatever batches they fall into.
		let locked!: () => void;
		let release!: () => void;
		const isLocked = new Promise<void>((resolve) => (locked = resolve));
		const released = new Promise<void>((resolve) => (release = resolve));
		const lock = real
			? setup.begin(async (tx) => {
					await tx`lock table device_events in share mode`;
					locked();
					await released;
				})
			: (locked(), Promise.resolve());
		await isLocked;
		try {
			await Promise.all(
				ids.map((id, i) =>
					publisher.publishAsync(
						deviceTopic(DISTRICT, DEVICES[i % DEVICES.length], 'event'),
						motion(id, i === 4 ? 'sos' : 'motion'),
						{ qos: 1 }
					)
				)
			);
			if (real)
				await waitFor(
					'every message to be received',
					() => services.ingest!.backlog().messages === ids.length
				);
		} finally {
			release();
			await lock;
		}
		const stored = await waitFor('the good messages to be stored', async () => {
			const found = await storedIds(sql, 'good-');
			return found && found.length === 20 ? found : null;
		});
		expect(stored.sort()).toEqual(ids.filter((id) => id !== 'poison-1').sort());
		const letters = await waitFor('the dead letter', async () => {
			const rows = await sql<{ reason: string; kind: string; payload: Buffer }[]>`
					select reason, reason_kind as kind, payload from dead_letters
					where topic like ${`%${run}%`} order by id`;
			return rows.length ? rows : null;
		});
		expect(letters.map((l) => [l.kind, l.reason])).toEqual([
			['not_stored', 'could not be stored: refused by the test: poison-1']
		]);
		expect(JSON.parse(Buffer.from(letters[0].payload).toString()).eventId).toBe('poison-1');
		expect(services.ingest!.stats.deadLetters).toBe(deadLetters + 1);
		expect(await storedIds(sql, 'poison')).toEqual([]);
	}, 60_000);
});

describe('a bad moment', () => {
	(real ? it : it.skip)(
		'loses nothing when the worker’s database connections are terminated mid-burst',
		async () => {
			const total = 1500;
			const killer = createSql(inject('databaseUrl'), { max: 1, applicationName: `killer-${run}` });
			let killing = true;
			let terminated = 0;
			const retries = services.ingest!.stats.retries;
			// Every 150 ms, the ingest's backends (the services' application name) are terminated: 57P01.
			// Not in their first second: postgres.js reads the array types on each new connection, and a
			// termination during that read escapes it as an unhandled rejection (a driver's fault, not
			// the worker's, that would fail the run whatever the ingest does).
			const kills = (async () => {
				while (killing) {
					const rows = await killer`
						select pg_terminate_backend(pid) as done from pg_stat_activity
						where datname = current_database() and application_name = 'carecircle'
							and pid <> pg_backend_pid() and backend_start < now() - interval '1 second'`;
					terminated += rows.filter((row) => row.done).length;
					await sleep(150);
				}
			})();
			try {
				const sends: Promise<unknown>[] = [];
				const started = performance.now();
				for (let i = 0; i < total; i++) {
					// 1,000 messages a second, over a second and a half of killings.
					const wait = started + i - performance.now();
					if (wait > 1) await sleep(wait);
					sends.push(
						publisher.publishAsync(
							deviceTopic(DISTRICT, DEVICES[i % DEVICES.length], 'event'),
							motion(`burst-${i}`),
							{ qos: 1 }
						)
					);
				}
				await Promise.all(sends);
			} finally {
				killing = false;
				await kills;
				await killer.end();
			}
			expect(terminated).toBeGreaterThan(0);
			const stored = await waitFor(
				'every message to be stored',
				async () => {
					const found = await storedIds(sql, 'burst-');
					return found && found.length >= total ? found : null;
				},
				30_000
			);
			expect(new Set(stored).size).toBe(total);
			expect(stored).toHaveLength(total);
			const [{ letters }] = await sql<{ letters: number }[]>`
				select count(*)::int as letters from dead_letters where topic like ${`%${run}%`}
					and encode(payload, 'escape') like ${'%burst-%'}`;
			expect(letters).toBe(0);
			expect(services.ingest!.stats.retries).toBeGreaterThan(retries);
		},
		90_000
	);
});

describe('statuses in the order of their times', () => {
	it('ignores an old "online" delivered again after the last will’s "offline"', async () => {
		const status = (payload: object) =>
			publisher.publishAsync(deviceTopic(DISTRICT, STATUS_DEVICE, 'status'), JSON.stringify(payload), {
				qos: 1
			});
		const onlineAt = new Date(Date.now() - 5000).toISOString();
		const online = { v: 1, state: 'online', at: onlineAt, firmware: '1.0.0' };
		await status(online);
		const device = async () =>
			(
				await sql<{ online: boolean; firmware: string | null; statusAt: Date | null }[]>`
					select online, firmware, status_at from devices where id = ${STATUS_DEVICE}`
			)[0];
		await waitFor('the device online', async () => (await device()).online);
		// The last will: no time of its own, counted from its arrival.
		await status({ v: 1, state: 'offline' });
		await waitFor('the device offline', async () => !(await device()).online);
		const offlineAt = (await device()).statusAt!;
		expect(offlineAt.getTime()).toBeGreaterThan(Date.parse(onlineAt));
		// The same "online" again, as a redelivery or a device's retry brings it.
		const received = services.ingest!.stats.received;
		await status({ ...online, firmware: '1.0.1' });
		await waitFor(
			'it to be filed',
			() => services.ingest!.stats.received > received && services.ingest!.backlog().messages === 0
		);
		const after = await device();
		expect(after.online).toBe(false);
		expect(after.firmware).toBe('1.0.0');
		expect(after.statusAt!.getTime()).toBe(offlineAt.getTime());
		// A newer "online" (the device back for real) applies.
		await status({ v: 1, state: 'online', at: new Date().toISOString(), firmware: '1.0.2' });
		await waitFor('the newer status', async () => (await device()).firmware === '1.0.2');
	});
});

describe('a worker stopping while the database is out of reach', () => {
	const why = !real ? 'needs the real services (MQTT 5 sessions)' : !hasMosquitto ? 'needs Mosquitto' : '';
	(why ? it.skip : it)(
		`leaves what it could not store unacknowledged within ${STOP_DRAIN_LIMIT_MS / 1000} s, and its sessions keep it for its return${why ? ` (skipped: ${why})` : ''}`,
		async () => {
			const total = 60;
			const nodeName = `t-stop-${run}`;
			const cleanup: (() => Promise<unknown>)[] = [];
			try {
				const mosquitto: TestMosquitto = await startTestMosquitto(setup);
				cleanup.push(() => mosquitto.stop());
				const env = {
					ROLES: 'ingest',
					NODE_NAME: nodeName,
					INGEST_CONNECTIONS: '2',
					MQTT_URL: mosquitto.platformUrl,
					MQTT_USERNAME: mosquitto.platform.username,
					MQTT_PASSWORD: mosquitto.platform.password
				};
				const first = await startTestServices(env);
				cleanup.push(() => first.close());
				const sender = await mqtt.connectAsync(mosquitto.platformUrl, {
					...mosquitto.platform,
					clientId: `stop-sender-${run}`
				});
				cleanup.push(() => sender.endAsync(true));

				// The database out of reach for the worker's writes: every insert waits for this lock.
				let locked!: () => void;
				let release!: () => void;
				const isLocked = new Promise<void>((resolve) => (locked = resolve));
				const released = new Promise<void>((resolve) => (release = resolve));
				const lock = setup.begin(async (tx) => {
					await tx`lock table device_events in share mode`;
					locked();
					await released;
				});
				cleanup.push(async () => {
					release();
					await lock;
				});
				await isLocked;
				await Promise.all(
					Array.from({ length: total }, (_, i) =>
						sender.publishAsync(
							deviceTopic(DISTRICT, DEVICES[i % DEVICES.length], 'event'),
							motion(`held-${i}`),
							{ qos: 1 }
						)
					)
				);
				await waitFor('every message to be received', () => first.ingest!.backlog().messages === total);

				const stopping = performance.now();
				const { left } = await first.ingest!.stop({ endSessions: true });
				const tookMs = performance.now() - stopping;
				expect(left).toBe(total);
				expect(tookMs).toBeGreaterThanOrEqual(STOP_DRAIN_LIMIT_MS - 500);
				expect(tookMs).toBeLessThan(STOP_DRAIN_LIMIT_MS + 5000);
				await first.close();
				release();
				await lock;
				// Still unacknowledged in the kept sessions: the worker, back under its name, stores them.
				const again = await startTestServices(env);
				cleanup.push(() => again.close());
				const stored = await waitFor(
					'every held message to be stored',
					async () => {
						const found = await storedIds(sql, 'held-');
						return found && found.length >= total ? found : null;
					},
					30_000
				);
				expect(new Set(stored).size).toBe(total);
				expect(stored).toHaveLength(total);
				// Delivered again by the broker, not only written by the first worker's last statement.
				await waitFor('the held messages delivered again', () => again.ingest!.stats.received >= total);
			} finally {
				for (const undo of cleanup.reverse()) await undo().catch(() => {});
			}
		},
		90_000
	);
});
