/**
 * Ingest throughput, end to end: 50 devices, each its own MQTT client with its own login, publish
 * valid events at QoS 1 from a separate process as fast as the broker takes them; the clock stops
 * when every one is stored in PostgreSQL.
 * Uses DATABASE_URL (with a Mosquitto started on the shipped config when one is installed), or the
 * embedded PGlite + aedes.
 */
import { createSql } from '../../src/lib/server/db/client';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { ensurePostgis } from '../../src/lib/server/db/postgis';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { seedDistrict } from '../../src/lib/server/regions/seed';
import { startPublisher } from '../support/publisher';
import { startBenchPlatform } from './bench-platform';
import type { BenchRow } from './run';

const MESSAGES = 40_000;
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
	const devices: { id: string; secret: string }[] = [];
	for (let i = 0; i < DEVICES; i++) {
		devices.push(await registerDevice(setup, { id: `B-${i}-${run}`, householdId, kind: 'inactivity' }));
	}
	const { services, mosquitto, where } = await startBenchPlatform({
		databaseUrl,
		setup,
		roles: 'ingest'
	});
	await setup.end();
	// Two load generators, each in its own process with half the devices, so that publishing is not
	// what limits the figure.
	const publishers = [0, 1].map((p) =>
		startPublisher({
			brokerUrl: services.broker.url,
			districtCode: '350203',
			devices: devices.filter((_, i) => i % 2 === p),
			count: MESSAGES / 2,
			type: 'motion'
		})
	);
	await Promise.all(publishers.map((p) => p.connected));
	const started = performance.now();
	for (const p of publishers) p.go();
	while (services.ingest!.stats.stored < MESSAGES) await new Promise((resolve) => setTimeout(resolve, 20));
	const seconds = (performance.now() - started) / 1000;
	await Promise.all(publishers.map((p) => p.done));

	await services.close();
	await mosquitto?.stop();
	await embeddedDb?.close();
	return [
		{
			name: `ingest, ${DEVICES} devices publishing ${MESSAGES} events at QoS 1 → stored (${where})`,
			value: `${Math.round(MESSAGES / seconds)} events/s`
		}
	];
}
