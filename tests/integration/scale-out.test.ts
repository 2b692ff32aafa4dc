/**
 * Scale-out on the real engines: two web nodes (each also running the timers) and two ingest workers,
 * each a separate process of the real entry (src/server.ts), behind one Mosquitto on the shipped
 * config, one PostgreSQL and one Redis. The load generator publishes 20,000 alerts while one ingest
 * worker is killed for good (the other drains its sessions); consoles sit on both web nodes. Then
 * that worker is started again, killed mid-burst and started again under its name. Needs
 * DATABASE_URL and REDIS_URL (and Mosquitto): on the embedded defaults there is only one process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentSummary } from '../../src/lib/realtime/events';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { sessionInDatabase } from '../support/auth';
import { prepareDatabase } from '../support/database';
import { hasMosquitto, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
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

const realEngines = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL && hasMosquitto);

const ALERTS = 20_000;
const HOUSEHOLDS = 200;
/** SLA_ACK_S for critical alerts in this test: four rungs climbed within seconds. */
const ACK_S = 2;
const LAST_RUNG = 4;
/** INGEST_PEER_SILENCE_S of the workers: a killed worker is drained within seconds. */
const SILENCE_S = 3;
const run = `so${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!realEngines)(
	'scale-out: 2 web nodes and 2 ingest workers on Mosquitto, PostgreSQL and Redis',
	() => {
		let admin: Sql;
		let sql: Sql;
		/** The session of the dispatcher watching every console. */
		let dispatcher: string;
		let databaseUrl: string;
		let mosquitto: TestMosquitto;
		let dataDir: string;
		let env: Record<string, string>;
		const web: { node: Node; url: string }[] = [];
		const ingest: Node[] = [];
		const consoles: ConsoleView[] = [];
		/** One console per node of a dispatcher limited to `street`. */
		const streetConsoles: ConsoleView[] = [];
		let street: string;
		/** Every process started, stopped in afterAll even when a start failed half-way. */
		const started: Node[] = [];
		const start = (nodeEnv: Record<string, string>) => {
			const node = startNode(nodeEnv);
			started.push(node);
			return node;
		};
		let devices: { id: string; secret: string }[] = [];

		/** An ingest worker with its operations port (its /metrics and /api/health). */
		const startIngest = (name: string) => {
			const node = start({
				...env,
				ROLES: 'ingest',
				NODE_NAME: name,
				INGEST_CONNECTIONS: '32',
				INGEST_PEER_SILENCE_S: String(SILENCE_S),
				METRICS_PORT: '0'
			});
			const running = waitForLine(node, /CareCircle is running.*on port \d+/).then(
				() => `http://127.0.0.1:${/on port (\d+)/.exec(node.output())![1]}`
			);
			return { node, running };
		};
		const ingestUrls: string[] = [];

		beforeAll(async () => {
			ensureBuilt();
			// A database of its own: the timers of these processes look at every incident in it.
			const url = new URL(process.env.DATABASE_URL!);
			const database = `scale_out_${run}`;
			admin = createSql(url.href, { max: 1 });
			await admin.unsafe(`create database ${database}`);
			url.pathname = `/${database}`;
			databaseUrl = url.href;
			sql = await prepareDatabase(databaseUrl);
			dispatcher = await sessionInDatabase(sql, 'dispatcher');

			const households = await Promise.all(
				Array.from({ length: HOUSEHOLDS }, (_, i) =>
					saveHousehold(sql, {
						externalId: `${run}-H${i}`,
						districtCode: '350203',
						residentName: '扩展测试',
						location: [118.08 + (i % 20) * 0.002, 24.44 + Math.floor(i / 20) * 0.002],
						consent: true
					})
				)
			);
			// The street with most of the test's homes, for a dispatcher who sees only that street.
			[{ street }] = await sql<{ street: string }[]>`
				select left(community_code, 9) as street from households
				where id = any(${sql.array(households)}::bigint[]) and community_code is not null
				group by 1 order by count(*) desc, 1 limit 1`;
			devices = [];
			for (let i = 0; i < HOUSEHOLDS; i += 10) {
				devices.push(
					...(await Promise.all(
						households
							.slice(i, i + 10)
							.map((householdId, j) =>
								registerDevice(sql, { id: `${run}-D${i + j}`, householdId, kind: 'fall_detector' })
							)
					))
				);
			}
			mosquitto = await startTestMosquitto(sql);
			dataDir = await mkdtemp(path.join(tmpdir(), 'carecircle-scale-'));
			env = {
				DATABASE_URL: databaseUrl,
				MQTT_URL: mosquitto.platformUrl,
				MQTT_USERNAME: mosquitto.platform.username,
				MQTT_PASSWORD: mosquitto.platform.password,
				REDIS_URL: process.env.REDIS_URL!,
				REDIS_KEY_PREFIX: `carecircle-test-${run}`,
				HOST: '127.0.0.1',
				PORT: '0',
				DATA_DIR: dataDir,
				SEED_DISTRICT_DATA: 'false',
				SLA_ACK_S: `critical=${ACK_S},high=180,medium=600,low=1800`,
				SUPERVISION_INTERVAL_MS: '500'
			};
			const webNodes = [0, 1].map(() => start({ ...env, ROLES: 'web,timers' }));
			const workers = ['ingest-1', 'ingest-2'].map((name) => startIngest(`${name}-${run}`));
			const urls = await Promise.all(webNodes.map((node) => waitForReady(node.child)));
			webNodes.forEach((node, i) => web.push({ node, url: urls[i] }));
			ingestUrls.push(...(await Promise.all(workers.map((w) => w.running))));
			ingest.push(...workers.map((w) => w.node));
			for (const { url } of web)
				consoles.push(await attachConsole(url, dispatcher), await attachConsole(url, dispatcher));
			const streetDispatcher = await sessionInDatabase(sql, 'dispatcher', [street]);
			for (const { url } of web) streetConsoles.push(await attachConsole(url, streetDispatcher));
		}, 240_000);

		afterAll(async () => {
			for (const view of [...consoles, ...streetConsoles]) view.socket.disconnect();
			await Promise.all(started.map((node) => stopNode(node)));
			await mosquitto?.stop();
			await sql?.end();
			if (admin) await admin.unsafe(`drop database if exists scale_out_${run} with (force)`);
			await admin?.end();
			if (dataDir) await rm(dataDir, { recursive: true, force: true });
		});

		it('stores each of 20,000 alerts once while a worker is killed for good and drained by the other, pushes each to every console of its streets once, escalates each incident once per rung', async () => {
			expect(new Set(consoles.map((c) => c.node)).size).toBe(2);
			const ours = sql.array(devices.map((d) => d.id));
			const storedCount = async () =>
				Number(
					(await sql`select count(*) as n from device_events where device_id = any(${ours}::text[])`)[0].n
				);

			const publishers = [0, 1].map((p) =>
				startPublisher({
					brokerUrl: mosquitto.url,
					districtCode: '350203',
					devices: devices.filter((_, i) => i % 2 === p),
					count: ALERTS / 2,
					type: 'fall'
				})
			);
			await Promise.all(publishers.map((p) => p.connected));
			for (const p of publishers) p.go();

			// Mid-burst: kill -9 one worker, never to come back. Its sessions keep what it held and its
			// share of what follows until the survivor finds it silent and drains them.
			await waitFor('a fifth of the alerts stored', async () => (await storedCount()) >= ALERTS / 5, 60_000);
			await stopNode(ingest[1], 'SIGKILL');
			const killedAt = await storedCount();
			await Promise.all(publishers.map((p) => p.done));
			await waitFor('every alert stored', async () => (await storedCount()) >= ALERTS, 90_000);
			expect(killedAt).toBeLessThan(ALERTS);
			await waitForLine(ingest[0], /drained silent ingest worker ingest-2-/, 30_000);
			const drained = Number(/ingest-2-\w+: (\d+) messages stored/.exec(ingest[0].output())![1]);
			expect(drained).toBeGreaterThan(0);
			expect(await sql`select node_name from ingest_workers order by 1`).toEqual([
				{ nodeName: `ingest-1-${run}` }
			]);

			// Stored exactly once: every (device, event) once, each attached to its incident once.
			expect(await storedCount()).toBe(ALERTS);
			const [attached] = await sql`
			select coalesce(sum(i.alert_count), 0)::int as alerts, count(distinct i.id)::int as incidents
			from incidents i where i.household_id in (select household_id from devices where id = any(${ours}::text[]))`;
			expect(attached).toEqual({ alerts: ALERTS, incidents: HOUSEHOLDS });
			const [timeline] = await sql`
			select count(*)::int as n from incident_events where action in ('opened', 'alert_attached')`;
			expect(timeline.n).toBe(ALERTS);

			// Every incident climbs to the last rung, each rung once, whichever timer process claims it.
			await waitFor(
				'every incident on the last rung',
				async () =>
					Number(
						(await sql`select count(*) as n from incidents where escalation_level < ${LAST_RUNG}`)[0].n
					) === 0,
				60_000
			);
			const rungs = await sql<{ incidentId: string; escalations: number; tiers: number }[]>`
			select incident_id, count(*)::int as escalations, count(distinct detail->>'tier')::int as tiers
			from incident_events where action = 'escalate' group by incident_id`;
			expect(rungs).toHaveLength(HOUSEHOLDS);
			expect(rungs.filter((r) => r.escalations !== LAST_RUNG || r.tiers !== LAST_RUNG)).toEqual([]);

			// Every console, on either node, saw each incident open once and reach its stored state.
			const stored = await sql<{ id: string; alertCount: number; escalationLevel: number; street: string }[]>`
			select id, alert_count, escalation_level, left(community_code, 9) as street from incidents`;
			await waitFor(
				'the last pushes on every console',
				async () =>
					consoles.every((view) =>
						stored.every((row) => {
							const seen = view.latest.get(Number(row.id));
							return seen?.alertCount === row.alertCount && seen.escalationLevel === row.escalationLevel;
						})
					),
				15_000
			).catch(() => {});
			for (const view of consoles) {
				const report = {
					node: view.node,
					duplicates: view.duplicates,
					incidents: view.opened.size,
					openedTwice: [...view.opened.values()].filter((n) => n !== 1).length,
					behind: stored.filter((row) => {
						const seen = view.latest.get(Number(row.id));
						return seen?.alertCount !== row.alertCount || seen.escalationLevel !== row.escalationLevel;
					}).length,
					rungsMissed: stored.filter((row) => view.levelsSeen.get(Number(row.id))?.size !== LAST_RUNG + 1)
						.length
				};
				expect(report).toEqual({
					node: view.node,
					duplicates: 0,
					incidents: HOUSEHOLDS,
					openedTwice: 0,
					behind: 0,
					rungsMissed: 0
				});
			}

			// A dispatcher limited to one street, on either node, saw that street's incidents once each and no other.
			const ofStreet = stored
				.filter((row) => row.street === street)
				.map((row) => Number(row.id))
				.sort((a, b) => a - b);
			expect(ofStreet.length).toBeGreaterThan(0);
			expect(ofStreet.length).toBeLessThan(HOUSEHOLDS);
			for (const view of streetConsoles)
				expect({
					incidents: [...view.opened.keys()].sort((a, b) => a - b),
					openedTwice: [...view.opened.values()].filter((n) => n !== 1).length,
					duplicates: view.duplicates
				}).toEqual({ incidents: ofStreet, openedTwice: 0, duplicates: 0 });
		}, 240_000);

		it('reports each process on its own: ingest counters, lag and drains per worker, consoles and SLA breaches per web node', async () => {
			const text = async (url: string) => {
				const response = await fetch(url);
				expect(response.status).toBe(200);
				return response.text();
			};
			const sample = (metrics: string, name: string) => {
				const line = metrics.split('\n').find((l) => l.startsWith(`${name} `));
				return line ? Number(line.slice(name.length + 1)) : undefined;
			};
			// The survivor: it stored its share and drained the killed worker's.
			const survivor = await text(`${ingestUrls[0]}/metrics`);
			const node = `{node="ingest-1-${run}"}`;
			expect(sample(survivor, `carecircle_ingest_lag_seconds${node}`)).toBe(0);
			expect(sample(survivor, `carecircle_ingest_stored_total${node}`)).toBeGreaterThan(0);
			expect(sample(survivor, `carecircle_ingest_drained_total${node}`)).toBeGreaterThan(0);
			expect(sample(survivor, `carecircle_ingest_peers_drained_total${node}`)).toBe(1);
			const health = await (await fetch(`${ingestUrls[0]}/api/health`)).json();
			expect(health).toMatchObject({ status: 'ok', roles: ['ingest'], node: `ingest-1-${run}` });

			const web0 = await text(`${web[0].url}/metrics`);
			// Two district consoles and the street dispatcher's.
			expect(sample(web0, `carecircle_socket_connections{node="${consoles[0].node}"}`)).toBe(3);
			expect(sample(web0, 'carecircle_sla_breaches_total{missed="ack"}')).toBe(HOUSEHOLDS * LAST_RUNG);
			expect(sample(web0, 'carecircle_open_incidents{severity="critical",state="escalated"}')).toBe(
				HOUSEHOLDS
			);
		});

		it('moves the consoles of a web node that goes down to the other node, where they catch up and get new alerts', async () => {
			const [survivor, lost] = web;
			// The third and fourth consoles sit on the second node.
			const stranded = consoles.slice(2);
			expect(stranded.every((view) => view.socket.connected)).toBe(true);
			await stopNode(lost.node, 'SIGKILL');
			await waitFor(
				'the consoles notice',
				async () => stranded.every((view) => !view.socket.connected),
				10_000
			);

			// They come back through the other node (a load balancer's job) and catch up from the database.
			const moved = await Promise.all(stranded.map(() => attachConsole(survivor.url, dispatcher)));
			const caughtUp: IncidentSummary[] = await (
				await fetch(`${survivor.url}/api/districts/350203/incidents`, {
					headers: { cookie: `cc_session=${dispatcher}` }
				})
			).json();
			const [open] =
				await sql`select count(*)::int as n from incidents where state not in ('resolved', 'false_alarm')`;
			expect(caughtUp).toHaveLength(open.n);

			const before = Number((await sql`select coalesce(sum(alert_count), 0) as n from incidents`)[0].n);
			const publisher = startPublisher({
				brokerUrl: mosquitto.url,
				districtCode: '350203',
				devices: devices.slice(0, 10),
				count: 10,
				type: 'sos',
				eventIdPrefix: 'after-'
			});
			await publisher.connected;
			publisher.go();
			await publisher.done;
			await waitFor(
				'the new alerts stored',
				async () =>
					Number((await sql`select coalesce(sum(alert_count), 0) as n from incidents`)[0].n) >= before + 10,
				30_000
			);
			const latest = await sql<{ id: string; alertCount: number }[]>`
			select i.id, i.alert_count from incidents i join devices d on d.household_id = i.household_id
			where d.id = any(${sql.array(devices.slice(0, 10).map((d) => d.id))}::text[])`;
			await waitFor(
				'the new alerts on the moved consoles',
				async () =>
					moved.every((view) =>
						latest.every((row) => view.latest.get(Number(row.id))?.alertCount === row.alertCount)
					),
				10_000
			);
			for (const view of moved) {
				expect(view.node).toBe(consoles[0].node);
				expect(view.duplicates).toBe(0);
				view.socket.disconnect();
			}
		}, 120_000);

		it('stores every alert once when a worker is killed mid-burst and started again under its name', async () => {
			// Back after its drain: it starts afresh and takes its share again.
			const back = startIngest(`ingest-2-${run}`);
			ingest[1] = back.node;
			await back.running;
			const prefix = 'again-';
			const burst = ALERTS / 5;
			const storedCount = async () =>
				Number((await sql`select count(*) as n from device_events where event_id like ${prefix + '%'}`)[0].n);
			const publisher = startPublisher({
				brokerUrl: mosquitto.url,
				districtCode: '350203',
				devices: devices.slice(0, 50),
				count: burst,
				type: 'fall',
				eventIdPrefix: prefix
			});
			await publisher.connected;
			publisher.go();
			await waitFor('a fifth of the burst stored', async () => (await storedCount()) >= burst / 5, 60_000);
			// Started again at once, as a process manager would: it takes its sessions back, or the survivor
			// drains them first if it is slow to come back; either way each alert is stored once.
			await stopNode(ingest[1], 'SIGKILL');
			const killedAt = await storedCount();
			const restarted = startIngest(`ingest-2-${run}`);
			ingest[1] = restarted.node;
			await restarted.running;
			await publisher.done;
			await waitFor('the burst stored', async () => (await storedCount()) >= burst, 60_000);
			expect(killedAt).toBeLessThan(burst);
			await sleep(500);
			expect(await storedCount()).toBe(burst);
			const [attached] = await sql`
				select coalesce(sum(alert_count), 0)::int as alerts from incidents`;
			const [events] = await sql`select count(*)::int as n from device_events`;
			expect(attached.alerts).toBe(events.n);
			// It stays up: a drain it interrupted let go of its sessions instead of taking them again.
			expect(restarted.node.child.exitCode).toBeNull();
		}, 120_000);
	}
);
