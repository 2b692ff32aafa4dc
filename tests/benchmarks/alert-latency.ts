/**
 * Alert-to-browser latency under a steady load: devices of many households publish alerting events
 * (sos, fall) at 1,000 messages/s for 10 s, and a console connected over socket.io times each
 * incident push against the publish of the alert it reports. The platform runs in this process as
 * in production (src/server.ts): the services with the web and ingest roles and socket.io on an HTTP
 * server. Uses DATABASE_URL (with a Mosquitto started on the shipped config when one is installed),
 * or the embedded PGlite + aedes. Called by tests/benchmarks/run.ts.
 *
 * Matching a push to its alerts: each household's incident counts its alerts (`alertCount`); a push
 * whose count has grown from n to m reports the household's alerts n+1 … m in the order they were
 * published, each timed from its own publish. No clock is compared but this process's, and the
 * platform keeps its own time on the incident. The publisher, the platform and the console share
 * one event loop, so the figures include the publisher's and the console's share of it. The console
 * is a socket.io client of the kind a browser's becomes once upgraded to a WebSocket; drawing the
 * map is not timed (the browser test bounds the whole path at 1.5 s).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { IncidentSummary, ServerToClientEvents } from '../../src/lib/realtime/events';
import { actOnIncident } from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { startEmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { registerDevice, saveHousehold, type RegisteredDevice } from '../../src/lib/server/devices/registry';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { attachRealtime } from '../../src/lib/server/realtime/socket-server';
import { sessionInDatabase } from '../support/auth';
import { prepareDatabase } from '../support/database';
import { startBenchPlatform } from './bench-platform';
import type { BenchRow } from './run';

const PER_SECOND = 1_000;
const SECONDS = 10;
/** One device per household; each household publishes every HOUSEHOLDS ms (200 ms) at the full rate. */
const HOUSEHOLDS = 200;
/** How long to wait, after the last publish, for the pushes still on their way. */
const SETTLE_MS = 15_000;
const TARGET_P99_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile of ascending values. */
const percentile = (sorted: number[], p: number) =>
	sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

export async function benchAlertLatency(): Promise<BenchRow[]> {
	/** Undone in reverse order when the benchmark ends, also when it fails half way. */
	const cleanup: (() => Promise<unknown>)[] = [];
	const outcome = await measure(cleanup).then(
		(rows) => ({ rows }),
		(error: unknown) => ({ error })
	);
	const failures: unknown[] = [];
	for (const undo of cleanup.reverse()) await undo().catch((error) => failures.push(error));
	if ('error' in outcome) throw outcome.error;
	if (failures.length) throw new AggregateError(failures, 'alert latency benchmark: cleanup failed');
	return outcome.rows;
}

async function measure(cleanup: (() => Promise<unknown>)[]): Promise<BenchRow[]> {
	const embeddedDb = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
	if (embeddedDb) cleanup.push(() => embeddedDb.close());
	const databaseUrl = process.env.DATABASE_URL ?? embeddedDb!.url;
	const run = Date.now().toString(36);
	const setup = await prepareDatabase(databaseUrl);
	const households: { id: number; deviceId: string }[] = [];
	let devices: RegisteredDevice[];
	let platform: Awaited<ReturnType<typeof startBenchPlatform>> | undefined;
	try {
		for (let i = 0; i < HOUSEHOLDS; i++) {
			const id = await saveHousehold(setup, {
				externalId: `B-AL-H-${i}-${run}`,
				districtCode: '350203',
				residentName: '延迟基准',
				// Spread over Siming, so the incidents land in different communities.
				location: [118.07 + (i % 20) * 0.004, 24.44 + Math.floor(i / 20) * 0.004],
				consent: true
			});
			households.push({ id, deviceId: `B-AL-${i}-${run}` });
		}
		// Hashing each device's password is what takes the time here: done side by side.
		devices = await Promise.all(
			households.map((h) => registerDevice(setup, { id: h.deviceId, householdId: h.id, kind: 'sos_button' }))
		);
		// As production runs it, minus the timers role (its supervision would look at every device of a shared database).
		platform = await startBenchPlatform({ databaseUrl, setup, roles: 'web,ingest' });
		if (platform.mosquitto) cleanup.push(() => platform!.mosquitto!.stop());
	} finally {
		await setup.end();
	}
	const { services, mosquitto } = platform;
	cleanup.push(() => services.close());
	cleanup.push(() =>
		closeIncidents(
			services.database.sql,
			households.map((h) => h.id)
		)
	);
	const httpServer = http.createServer();
	const io = attachRealtime(httpServer, services);
	cleanup.push(() => new Promise((resolve) => io.close(resolve)));
	await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
	const consoleSocket: Socket<ServerToClientEvents> = connectSocket(
		`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
		// Where a browser's socket.io ends up once it has upgraded from polling, logged in as a dispatcher.
		{
			transports: ['websocket'],
			auth: { session: await sessionInDatabase(services.database.sql, 'dispatcher') }
		}
	);
	cleanup.push(async () => consoleSocket.close());
	await new Promise((resolve) => consoleSocket.once('server:hello', resolve));
	const clients = await Promise.all(
		devices.map((d) =>
			mqtt.connectAsync(mosquitto?.url ?? services.broker.url, {
				clientId: d.id,
				username: d.id,
				password: d.secret
			})
		)
	);
	cleanup.push(() => Promise.all(clients.map((c) => c.endAsync())));

	/** Per household, when its alerts were published, and how many a push has reported so far. */
	const pending = new Map<number, { sentAt: number[]; reported: number }>(
		households.map((h) => [h.id, { sentAt: [], reported: 0 }])
	);
	const latencies: number[] = [];
	let pushes = 0;
	let unmatched = 0;
	const onPush = (incident: IncidentSummary) => {
		const receivedAt = performance.now();
		pushes++;
		const household = pending.get(incident.householdId);
		if (!household) return; // another household of a shared database
		const upTo = Math.min(incident.alertCount, household.sentAt.length);
		if (upTo <= household.reported) unmatched++;
		for (; household.reported < upTo; household.reported++)
			latencies.push(receivedAt - household.sentAt[household.reported]);
	};
	consoleSocket.on('incident:opened', onPush);
	consoleSocket.on('incident:updated', onPush);

	const total = PER_SECOND * SECONDS;
	const publishes: Promise<unknown>[] = [];
	const started = performance.now();
	let sent = 0;
	while (sent < total) {
		// A steady pace: message n leaves at n / PER_SECOND s, catching up after a late timer.
		const due = Math.min(total, Math.floor(((performance.now() - started) * PER_SECOND) / 1000) + 1);
		for (; sent < due; sent++) {
			const h = sent % HOUSEHOLDS;
			pending.get(households[h].id)!.sentAt.push(performance.now());
			const payload = JSON.stringify({
				v: 1,
				eventId: `al-${sent}`,
				type: sent % 2 ? 'fall' : 'sos',
				at: new Date().toISOString()
			});
			publishes.push(
				clients[h].publishAsync(deviceTopic('350203', households[h].deviceId, 'event'), payload, { qos: 1 })
			);
		}
		await sleep(1);
	}
	const sendSeconds = (performance.now() - started) / 1000;
	await Promise.all(publishes);
	const settleUntil = performance.now() + SETTLE_MS;
	const waiting = () => [...pending.values()].some((h) => h.reported < h.sentAt.length);
	while (waiting() && performance.now() < settleUntil) await sleep(20);

	const sorted = latencies.sort((a, b) => a - b);
	const ms = (value: number) => `${Math.round(value)} ms`;
	const p99 = percentile(sorted, 99);
	const where = mosquitto ? 'PostgreSQL + Mosquitto on the shipped config' : 'PGlite + aedes (embedded)';
	process.stderr.write(
		`alert latency: ${sorted.length} of ${total} alerts reached the console in ${pushes} pushes ` +
			`(${unmatched} reported nothing new), sent in ${sendSeconds.toFixed(1)} s; ` +
			`p50 ${ms(percentile(sorted, 50))}, p99 ${ms(p99)}, max ${ms(sorted.at(-1) ?? NaN)}; ` +
			`p99 target ${TARGET_P99_MS} ms ${p99 < TARGET_P99_MS ? 'met' : 'missed'}\n`
	);
	return [
		{
			name: `alert → browser latency p50 / p99 at ${PER_SECOND.toLocaleString('en')} events/s (${where})`,
			value: `${ms(percentile(sorted, 50))} / ${ms(p99)}`
		},
		{
			name: `alert → browser latency max; alerts pushed / sent in ${SECONDS} s (${where})`,
			value: `${ms(sorted.at(-1) ?? NaN)}; ${sorted.length} / ${total}`
		}
	];
}

/** Closes the benchmark's incidents as false alarms, so a console on a shared database is not left with them. */
async function closeIncidents(sql: Sql, householdIds: number[]): Promise<void> {
	const open = await sql<{ id: string }[]>`
		select id from incidents where household_id = any(${sql.array(householdIds)}::bigint[])
			and state not in ('resolved', 'false_alarm')`;
	for (const { id } of open) {
		await actOnIncident(sql, {
			incidentId: Number(id),
			action: 'mark_false_alarm',
			actor: 'benchmark',
			note: 'alert latency benchmark'
		});
	}
}
