/**
 * Ingest throughput, end to end: 50 devices, each its own MQTT client with its own login, publish
 * valid events at QoS 1 as fast as the broker takes them, until every one is stored in PostgreSQL.
 * Uses DATABASE_URL (with a Mosquitto started on the shipped config when one is installed), or the
 * embedded PGlite + aedes.
 */
import mqtt from 'mqtt';
import { loadConfig } from '../../src/lib/server/config';
import { createSql } from '../../src/lib/server/db/client';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { ensurePostgis } from '../../src/lib/server/db/postgis';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { createLogger } from '../../src/lib/server/log/logger';
import { deviceTopic } from '../../src/lib/server/mqtt/contract';
import { seedDistrict } from '../../src/lib/server/regions/seed';
import { startServices } from '../../src/lib/server/services';
import { hasMosquitto, startTestMosquitto } from '../support/mosquitto';
import type { BenchRow } from './run';

const MESSAGES = 20_000;
const DEVICES = 50;

export async function benchIngestThroughput(): Promise<BenchRow[]> {
	const embeddedDb = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
	const databaseUrl = process.env.DATABASE_URL ?? embeddedDb!.url;
	const run = Date.now().toString(36);
	const setup = createSql(databaseUrl, { max: 1 });
	await ensurePostgis(setup);
	await applyMigrations(setup);
	await seedDistrict(setup, '350203');
	const householdId = await saveHousehold(setup, {
		externalId: `B-H-${run}`,
		districtCode: '350203',
		residentName: '基准测试',
		location: [118.1, 24.46],
		consent: true
	});
	const devices = [];
	for (let i = 0; i < DEVICES; i++) {
		devices.push(await registerDevice(setup, { id: `B-${i}-${run}`, householdId, kind: 'inactivity' }));
	}
	const mosquitto = process.env.DATABASE_URL && hasMosquitto ? await startTestMosquitto(setup) : undefined;
	await setup.end();
	const env: Record<string, string> = { DATABASE_URL: databaseUrl, ROLES: 'ingest', MQTT_EMBEDDED_PORT: '0' };
	if (mosquitto) {
		Object.assign(env, {
			MQTT_URL: mosquitto.url,
			MQTT_USERNAME: mosquitto.platform.username,
			MQTT_PASSWORD: mosquitto.platform.password
		});
	}
	const services = await startServices(loadConfig(env), createLogger('silent'));
	const clients = await Promise.all(
		devices.map((d) =>
			mqtt.connectAsync(services.broker.url, { clientId: d.id, username: d.id, password: d.secret })
		)
	);

	const started = performance.now();
	const sends: Promise<unknown>[] = [];
	for (let i = 0; i < MESSAGES; i++) {
		const d = i % DEVICES;
		const payload = JSON.stringify({ v: 1, eventId: `m-${i}`, type: 'motion', at: new Date().toISOString() });
		sends.push(clients[d].publishAsync(deviceTopic('350203', devices[d].id, 'event'), payload, { qos: 1 }));
	}
	await Promise.all(sends);
	while (services.ingest!.stats.stored < MESSAGES) await new Promise((resolve) => setTimeout(resolve, 20));
	const seconds = (performance.now() - started) / 1000;

	await Promise.all(clients.map((c) => c.endAsync()));
	await services.close();
	await mosquitto?.stop();
	await embeddedDb?.close();
	const where = mosquitto ? 'PostgreSQL + Mosquitto on the shipped config' : 'PGlite + aedes (embedded)';
	return [
		{
			name: `ingest, ${DEVICES} devices publishing ${MESSAGES} events at QoS 1 → stored (${where})`,
			value: `${Math.round(MESSAGES / seconds)} events/s`
		}
	];
}
