/**
 * PostgreSQL going away in the middle of a burst loses nothing: ingest holds the messages it cannot
 * store, leaves them unacknowledged and retries, so once the database is back every event is stored
 * exactly once. The database here is a throwaway cluster the test stops and starts (the run's own
 * database is shared); the burst goes through a Mosquitto started with the shipped config. The
 * services run in the test's process, so an error the database driver lets escape to the event loop
 * (one that would take the platform down) fails the run as an unhandled error.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { isTransient } from '../../src/lib/server/ingest/ingest-worker';
import type { Services } from '../../src/lib/server/services';
import { prepareDatabase } from '../support/database';
import { hasMosquitto, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { hasPostgresServer, startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster';
import { startTestServices } from '../support/services';
import { waitFor } from '../support/wait';

const run = Date.now().toString(36);
const DEVICES = Array.from({ length: 20 }, (_, i) => `T-RESTART-${i}-${run}`);
const TOTAL = 3_000;
const PER_SECOND = 500;
/** The database is stopped after this many messages, while the burst goes on. */
const STOP_AFTER = 1_000;
const DOWN_MS = 2_000;

const eventId = (i: number) => `r-${i}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const real = inject('servicesKind') === 'real';
const why = !real
	? 'needs the real services (DATABASE_URL and MQTT_URL)'
	: !hasPostgresServer
		? 'needs the PostgreSQL 15 server programs'
		: !hasMosquitto
			? 'needs Mosquitto'
			: '';
const title = 'ingest while PostgreSQL restarts';

(why ? describe.skip : describe)(why ? `${title} (skipped: ${why})` : title, () => {
	/** Undone in reverse order after the tests, each step even when an earlier one failed. */
	const cleanup: (() => Promise<unknown>)[] = [];
	let cluster: PostgresCluster;
	let mosquitto: TestMosquitto;
	let services: Services;
	let publisher: MqttClient;

	beforeAll(async () => {
		cluster = await startPostgresCluster();
		cleanup.push(() => cluster.destroy());
		const setup = await prepareDatabase(cluster.url);
		cleanup.push(() => setup.end());
		const householdId = await saveHousehold(setup, {
			externalId: `T-HR-${run}`,
			districtCode: '350203',
			residentName: '重启测试',
			location: [118.1, 24.46],
			consent: true
		});
		for (const id of DEVICES) await registerDevice(setup, { id, householdId, kind: 'door' });
		mosquitto = await startTestMosquitto(setup);
		cleanup.push(() => mosquitto.stop());
		services = await startTestServices({
			DATABASE_URL: cluster.url,
			ROLES: 'ingest',
			MQTT_URL: mosquitto.platformUrl,
			MQTT_USERNAME: mosquitto.platform.username,
			MQTT_PASSWORD: mosquitto.platform.password
		});
		cleanup.push(() => services.close());
		// The publisher speaks for all the devices at once, as the platform login may.
		publisher = await mqtt.connectAsync(mosquitto.platformUrl, {
			...mosquitto.platform,
			clientId: `restart-${run}`
		});
		// Forced: a publisher left with unacknowledged messages by a failed test would wait for them.
		cleanup.push(() => publisher.endAsync(true));
	});

	afterAll(async () => {
		const failures: unknown[] = [];
		for (const undo of cleanup.reverse()) await undo().catch((error) => failures.push(error));
		if (failures.length) throw new AggregateError(failures, 'cleanup failed');
	});

	it('ingest loses nothing when PostgreSQL restarts mid-burst', async () => {
		const sends: Promise<unknown>[] = [];
		let restart: Promise<void> | undefined;
		let storedEarlyInOutage = 0;
		let storedLateInOutage = 0;
		const started = performance.now();
		for (let i = 0; i < TOTAL; i++) {
			// A steady pace: message i leaves at i / PER_SECOND seconds, however long sending took.
			const due = started + (i * 1000) / PER_SECOND;
			const wait = due - performance.now();
			if (wait > 1) await sleep(wait);
			if (i === STOP_AFTER) {
				restart = (async () => {
					await cluster.stop('fast');
					// A commit answered just before the stop may still be on its way to the worker.
					await sleep(250);
					storedEarlyInOutage = services.ingest!.stats.stored;
					await sleep(DOWN_MS - 250);
					storedLateInOutage = services.ingest!.stats.stored;
					await cluster.start();
				})();
			}
			const device = DEVICES[i % DEVICES.length];
			const payload = JSON.stringify({
				v: 1,
				eventId: eventId(i),
				type: i % 2 ? 'door_open' : 'door_closed',
				at: new Date().toISOString()
			});
			sends.push(publisher.publishAsync(deviceTopic('350203', device, 'event'), payload, { qos: 1 }));
		}
		await Promise.all(sends);
		await restart;
		// Nothing could be stored while the database was down: the outage really happened mid-burst.
		expect(storedLateInOutage).toBe(storedEarlyInOutage);
		expect(storedEarlyInOutage).toBeLessThan(TOTAL);

		const sql = services.database.sql;
		// This count shares the ingest's pool: a query queued on a connection the restart cut fails
		// with it, and is asked again, as the ingest asks again.
		const stored = async () =>
			(
				await sql<{ count: number }[]>`
					select count(*)::int as count from device_events where device_id = any(${sql.array(DEVICES)})`.catch(
					(error) => {
						if (isTransient(error)) return [{ count: 0 }];
						throw error;
					}
				)
			)[0].count;
		await waitFor('every message to be stored', async () => (await stored()) >= TOTAL, 30_000);

		const [events] = await sql<{ rows: number; distinctIds: number; missing: number }[]>`
			select count(*)::int as rows, count(distinct event_id)::int as distinct_ids,
				(select count(*)::int from unnest(${sql.array(Array.from({ length: TOTAL }, (_, i) => eventId(i)))}::text[]) as sent(id)
					where not exists (select 1 from device_events e
						where e.event_id = sent.id and e.device_id = any(${sql.array(DEVICES)}))) as missing
			from device_events where device_id = any(${sql.array(DEVICES)})`;
		expect(events).toEqual({ rows: TOTAL, distinctIds: TOTAL, missing: 0 });
		const [{ deadLetters }] = await sql<{ deadLetters: number }[]>`
			select count(*)::int as dead_letters from dead_letters where topic like ${`%${run}%`}`;
		expect(deadLetters).toBe(0);
		const stats = services.ingest!.stats;
		expect(stats.retries).toBeGreaterThan(0);
		// A batch that committed just as the database went away may be filed again: a duplicate, not a loss.
		expect(stats.stored + stats.duplicates).toBeGreaterThanOrEqual(TOTAL);
	}, 120_000);
});
