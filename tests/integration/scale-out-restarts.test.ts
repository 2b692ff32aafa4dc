/**
 * The scale-out topology through its engines' restarts: Mosquitto (with the shipped persistence),
 * PostgreSQL (a throwaway cluster this test stops and starts) and Redis (one of the test's own) each
 * go away and come back under a web node and two named ingest workers, processes of the real entry.
 * No alert is lost or stored twice, and the console is brought up to date by the pushes that follow.
 * Needs DATABASE_URL and REDIS_URL (the real-services run), Mosquitto, the PostgreSQL server
 * binaries and redis-server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sparePort } from '../../simulators/ports';
import type { Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { sessionInDatabase } from '../support/auth';
import { prepareDatabase } from '../support/database';
import { hasMosquitto, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { hasPostgresServer, startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster';
import { startPublisher } from '../support/publisher';
import {
	attachConsole,
	ensureBuilt,
	startNode,
	stopNode,
	waitForLine,
	type ConsoleView,
	type Node
} from '../support/scale-out';
import { waitForReady } from '../support/spawn-server';
import { waitFor } from '../support/wait';

const REDIS_SERVER = '/usr/bin/redis-server';
const runnable = Boolean(
	process.env.DATABASE_URL &&
	process.env.REDIS_URL &&
	hasMosquitto &&
	hasPostgresServer &&
	existsSync(REDIS_SERVER)
);

const HOUSEHOLDS = 50;
const BURST = 2_000;
const CONNECTIONS = 16;
const run = `sr${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Redis of the test's own, which it can stop and start on the same port. */
async function startOwnRedis() {
	const port = await sparePort();
	const url = `redis://127.0.0.1:${port}`;
	let child: ChildProcess | null = null;
	const start = async () => {
		child = spawn(
			REDIS_SERVER,
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
			{ stdio: 'ignore' }
		);
		await waitFor(
			`Redis on port ${port}`,
			async () => {
				const probe = createClient({ url, socket: { reconnectStrategy: false } });
				probe.on('error', () => {});
				try {
					await probe.connect();
					await probe.close();
					return true;
				} catch {
					return false;
				}
			},
			10_000
		);
	};
	const stop = async () => {
		const running = child;
		if (!running || running.exitCode !== null) return;
		const exited = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGTERM');
		await exited;
	};
	await start();
	return { url, start, stop };
}

describe.skipIf(!runnable)('scale-out through restarts of Mosquitto, PostgreSQL and Redis', () => {
	let cluster: PostgresCluster;
	let sql: Sql;
	let mosquitto: TestMosquitto;
	let redis: Awaited<ReturnType<typeof startOwnRedis>>;
	let dataDir: string;
	let web: Node;
	let webUrl: string;
	const ingest: Node[] = [];
	let view: ConsoleView;
	let devices: { id: string; secret: string }[] = [];

	const storedCount = async (prefix: string) =>
		Number(
			(
				await sql`select count(*) as n from device_events
					where device_id = any(${sql.array(devices.map((d) => d.id))}::text[]) and event_id like ${prefix + '%'}`
			)[0].n
		);
	const publish = async (prefix: string, count: number) => {
		const publisher = startPublisher({
			brokerUrl: mosquitto.url,
			districtCode: '350203',
			devices,
			count,
			type: 'fall',
			eventIdPrefix: prefix
		});
		await publisher.connected;
		publisher.go();
		return publisher.done;
	};
	/** Every alert stored is counted once on its incident, and the console shows each incident's count. */
	const expectConsistent = async () => {
		const [total] = await sql`select count(*)::int as events from device_events`;
		const [attached] = await sql`select coalesce(sum(alert_count), 0)::int as alerts from incidents`;
		expect(attached.alerts).toBe(total.events);
		const incidents = await sql<{ id: string; alertCount: number }[]>`select id, alert_count from incidents`;
		await waitFor(
			'the console up to date',
			() => incidents.every((row) => view.latest.get(Number(row.id))?.alertCount === row.alertCount),
			15_000
		);
		expect(view.duplicates).toBe(0);
	};

	beforeAll(async () => {
		ensureBuilt();
		cluster = await startPostgresCluster();
		sql = await prepareDatabase(cluster.url);
		const households = await Promise.all(
			Array.from({ length: HOUSEHOLDS }, (_, i) =>
				saveHousehold(sql, {
					externalId: `${run}-H${i}`,
					districtCode: '350203',
					residentName: '重启测试',
					location: [118.08 + (i % 10) * 0.003, 24.44 + Math.floor(i / 10) * 0.003],
					consent: true
				})
			)
		);
		devices = [];
		for (const [i, householdId] of households.entries())
			devices.push(await registerDevice(sql, { id: `${run}-D${i}`, householdId, kind: 'sos_button' }));
		mosquitto = await startTestMosquitto(sql);
		redis = await startOwnRedis();
		dataDir = await mkdtemp(path.join(tmpdir(), 'carecircle-restarts-'));
		const env = {
			DATABASE_URL: cluster.url,
			MQTT_URL: mosquitto.platformUrl,
			MQTT_USERNAME: mosquitto.platform.username,
			MQTT_PASSWORD: mosquitto.platform.password,
			REDIS_URL: redis.url,
			HOST: '127.0.0.1',
			PORT: '0',
			DATA_DIR: dataDir,
			SEED_DISTRICT_DATA: 'false'
		};
		web = startNode({ ...env, ROLES: 'web,timers' });
		ingest.push(
			...[1, 2].map((k) =>
				startNode({
					...env,
					ROLES: 'ingest',
					NODE_NAME: `ingest-${k}-${run}`,
					INGEST_CONNECTIONS: String(CONNECTIONS)
				})
			)
		);
		webUrl = await waitForReady(web.child);
		await Promise.all(ingest.map((node) => waitForLine(node, /CareCircle is running/)));
		view = await attachConsole(webUrl, await sessionInDatabase(sql, 'dispatcher'));
	}, 180_000);

	afterAll(async () => {
		view?.socket.disconnect();
		await Promise.all([web, ...ingest].filter(Boolean).map((node) => stopNode(node)));
		await mosquitto?.stop();
		await redis?.stop();
		await sql?.end();
		await cluster?.destroy();
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	});

	it('delivers what the broker held for the workers after Mosquitto restarts, and what comes next', async () => {
		// The workers stop taking messages, so the burst waits at the broker in their sessions.
		for (const node of ingest) node.child.kill('SIGSTOP');
		await publish('b-', BURST);
		await mosquitto.restart();
		for (const node of ingest) node.child.kill('SIGCONT');
		await waitFor('the burst stored', async () => (await storedCount('b-')) >= BURST, 60_000);
		await sleep(500);
		expect(await storedCount('b-')).toBe(BURST);
		// And what arrives once the workers are back reaches their restored sessions too. They may store
		// the held burst from what their old connections had already read before they reconnect, and
		// Mosquitto routes nothing to a restored shared subscription until the worker renews it
		// (README, Delivery): this MQTT 3.1.1 load generator must not publish before that.
		await Promise.all(ingest.map((node) => waitForLine(node, /subscription renewed/, 60_000, CONNECTIONS)));
		await publish('a-', BURST / 4);
		await waitFor('the next alerts stored', async () => (await storedCount('a-')) >= BURST / 4, 30_000);
		await expectConsistent();
		// An operator reading the web node's log sees the broker go and come back.
		await waitForLine(web, /MQTT: connected to the broker again/, 10_000);
		expect(web.output()).toMatch(
			/MQTT: lost the broker, reconnecting[\s\S]*MQTT: connected to the broker again/
		);
	}, 120_000);

	it('stores every alert once when PostgreSQL restarts mid-burst', async () => {
		const done = publish('p-', BURST);
		await waitFor('part of the burst stored', async () => (await storedCount('p-')) >= BURST / 5, 60_000);
		await cluster.stop('fast');
		await sleep(2000);
		await cluster.start();
		await done;
		await waitFor('the burst stored', async () => (await storedCount('p-').catch(() => 0)) >= BURST, 60_000);
		await sleep(500);
		expect(await storedCount('p-')).toBe(BURST);
		await expectConsistent();
		const health = await (await fetch(`${webUrl}/api/health`)).json();
		expect(health).toMatchObject({ status: 'ok', pushes: { kind: 'redis', connected: true } });
	}, 120_000);

	it('pushes again once Redis is back, and the console is current after the next alerts', async () => {
		await redis.stop();
		await waitFor('the web node to notice', async () => {
			const health = await (await fetch(`${webUrl}/api/health`)).json();
			return health.pushes.connected === false;
		});
		await publish('r-', 200);
		await waitFor(
			'the alerts stored while Redis is away',
			async () => (await storedCount('r-')) >= 200,
			30_000
		);
		await redis.start();
		await waitFor(
			'the web node to reconnect',
			async () => {
				const health = await (await fetch(`${webUrl}/api/health`)).json();
				return health.pushes.connected === true;
			},
			15_000
		);
		await sleep(500);
		await publish('s-', 200);
		await waitFor('the next alerts stored', async () => (await storedCount('s-')) >= 200, 30_000);
		await expectConsistent();
	}, 120_000);
});
