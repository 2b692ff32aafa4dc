/**
 * Ingest throughput, end to end: 50 devices, each its own MQTT client with its own login, publish
 * valid events at QoS 1 from a separate process as fast as the broker acknowledges them; the clock
 * stops when every one is stored in PostgreSQL. The burst is long enough (several seconds) that the
 * figure is the steady rate, not the start-up of batches and connections.
 * Uses DATABASE_URL (with a Mosquitto started on the shipped config when one is installed), or the
 * embedded PGlite + aedes.
 */
import { DEFAULT_INGEST_CONNECTIONS } from '../../src/lib/server/config';
import { createSql } from '../../src/lib/server/db/client';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { ensurePostgis } from '../../src/lib/server/db/postgis';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { seedDistrict } from '../../src/lib/server/regions/seed';
import { startPublisher } from '../support/publisher';
import { spawnServer } from '../support/spawn-server';
import { startBenchPlatform } from './bench-platform';
import type { BenchRow } from './run';

const MESSAGES = 100_000;
const DEVICES = 50;
const BURSTS = 3;

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
	// One load generator in its own process: on two cores shared with the broker, the database and
	// the ingest, a second generator process only adds its own overhead (measured: fewer events/s).
	const publishBurst = async (brokerUrl: string, eventIdPrefix: string, stored: () => Promise<number>) => {
		const publisher = startPublisher({
			brokerUrl,
			districtCode: '350203',
			devices,
			count: MESSAGES,
			type: 'motion',
			eventIdPrefix
		});
		await publisher.connected;
		const target = (await stored()) + MESSAGES;
		const started = performance.now();
		publisher.go();
		while ((await stored()) < target) await new Promise((resolve) => setTimeout(resolve, 20));
		const seconds = (performance.now() - started) / 1000;
		await publisher.done;
		return Math.round(MESSAGES / seconds);
	};
	// The median of a few bursts: on a shared two-core machine one burst varies by a tenth either way.
	const bursts: number[] = [];
	for (let k = 0; k < BURSTS; k++) {
		bursts.push(
			await publishBurst(
				mosquitto?.url ?? services.broker.url,
				`m${k}-`,
				async () => services.ingest!.stats.stored
			)
		);
	}
	await services.close();
	bursts.sort((a, b) => a - b);
	const rows: BenchRow[] = [
		{
			name: `ingest, ${DEVICES} devices publishing ${MESSAGES} events at QoS 1 → stored (${where}), median of ${BURSTS} bursts (min–max)`,
			value: `${bursts[Math.floor(BURSTS / 2)]} events/s (${bursts[0]}–${bursts[BURSTS - 1]})`
		}
	];
	if (mosquitto) {
		// The scale-out question: the same burst into one, then two ingest processes of the real entry.
		const ids = setup.array(devices.map((d) => d.id));
		const figures: string[] = [];
		for (const workers of [1, 2]) {
			const prefix = `w${workers}-`;
			const storedSoFar = async () =>
				Number(
					(
						await setup`select count(*) as n from device_events
							where device_id = any(${ids}::text[]) and event_id like ${prefix + '%'}`
					)[0].n
				);
			const processes = await Promise.all(
				Array.from({ length: workers }, (_, k) =>
					startIngestProcess({
						DATABASE_URL: databaseUrl,
						MQTT_URL: mosquitto.platformUrl,
						MQTT_USERNAME: mosquitto.platform.username,
						MQTT_PASSWORD: mosquitto.platform.password,
						ROLES: 'ingest',
						NODE_NAME: `bench-ingest-${k + 1}-${run}`,
						SEED_DISTRICT_DATA: 'false',
						LOG_LEVEL: 'info'
					})
				)
			);
			figures.push(`${await publishBurst(mosquitto.url, prefix, storedSoFar)}`);
			await Promise.all(processes.map((stop) => stop()));
		}
		rows.push({
			name: `ingest, same burst into 1 / 2 ingest processes (\`ROLES=ingest\`, ${DEFAULT_INGEST_CONNECTIONS} connections each) on this machine`,
			value: `${figures.join(' / ')} events/s`
		});
	}
	await setup.end();
	await mosquitto?.stop();
	await embeddedDb?.close();
	return rows;
}

/** An ingest process of the real entry; resolves once it listens, to the function that stops it. */
async function startIngestProcess(env: Record<string, string>): Promise<() => Promise<void>> {
	const child = spawnServer(env);
	let output = '';
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', (chunk) => {
			output += chunk;
			if (output.includes('CareCircle is running')) resolve();
		});
		child.stderr!.on('data', (chunk) => (output += chunk));
		child.once('exit', (code) => reject(new Error(`ingest process exited with ${code}:\n${output}`)));
	});
	return async () => {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
	};
}
