/**
 * A named ingest worker drains the MQTT sessions of a peer gone silent (src/lib/server/ingest/
 * peer-drain.ts), on a Mosquitto started with the shipped config: what the dead peer held is stored
 * once and its sessions end; a peer that comes back during the drain gets its sessions back and the
 * drainer lets go. The dead peer is played by the test: connections under its client ids that
 * subscribe, never acknowledge, and are cut off. The survivor runs in the test's process, on a
 * database of the test's own (the worker table is shared by every worker that uses a database).
 */
import mqtt, { type IConnackPacket, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deviceTopic } from '../../src/lib/mqtt/contract';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { INGEST_SESSION_EXPIRY_S, SHARED_UPLINK_FILTER } from '../../src/lib/server/ingest/ingest-worker';
import { beat } from '../../src/lib/server/ingest/ingest-workers';
import { rejoin } from '../../src/lib/server/ingest/peer-drain';
import { ingestClientIds } from '../../src/lib/server/ingest/silent-peers';
import { createLogger } from '../../src/lib/server/log/logger';
import { renderMetrics } from '../../src/lib/server/metrics/metrics';
import type { Services } from '../../src/lib/server/services';
import { prepareDatabase } from '../support/database';
import { hasMosquitto, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { startTestServices } from '../support/services';
import { waitFor } from '../support/wait';

const run = `pd${Date.now().toString(36)}`;
const DEVICES = Array.from({ length: 10 }, (_, i) => `T-DRAIN-${i}-${run}`);
const BURST = 400;
const PEER_CONNECTIONS = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const why =
	inject('servicesKind') !== 'real'
		? 'needs the real services (DATABASE_URL and MQTT_URL)'
		: !hasMosquitto
			? 'needs Mosquitto'
			: '';
const title = 'a named ingest worker drains a silent peer';

(why ? describe.skip : describe)(why ? `${title} (skipped: ${why})` : title, () => {
	const cleanup: (() => Promise<unknown>)[] = [];
	let sql: Sql;
	let mosquitto: TestMosquitto;
	let survivor: Services;
	let publisher: MqttClient;
	const survivorName = `survivor-${run}`;

	/** The peer's connections: members of the group that take messages and never acknowledge them. */
	const joinAsPeer = (peer: string, handleMessage: MqttClient['handleMessage']) =>
		Promise.all(
			ingestClientIds(peer, PEER_CONNECTIONS).map(async (clientId) => {
				const client = mqtt.connect(mosquitto.platformUrl, {
					...mosquitto.platform,
					clientId,
					protocolVersion: 5,
					clean: false,
					reconnectPeriod: 0,
					properties: { sessionExpiryInterval: INGEST_SESSION_EXPIRY_S }
				});
				client.handleMessage = handleMessage;
				const connack = await new Promise<IConnackPacket>((resolve) => client.once('connect', resolve));
				return { client, sessionPresent: connack.sessionPresent };
			})
		);
	/** A peer that took part of a burst and died (kill -9) with it unacknowledged, its heartbeat long past. */
	const killedPeer = async (peer: string, prefix: string) => {
		const clients = (await joinAsPeer(peer, () => {})).map((joined) => joined.client);
		for (const client of clients) await client.subscribeAsync(SHARED_UPLINK_FILTER, { qos: 1 });
		await publish(prefix);
		for (const client of clients) client.stream.destroy();
		await sql`
			insert into ingest_workers (node_name, connections, heartbeat_at)
			values (${peer}, ${PEER_CONNECTIONS}, now() - interval '1 hour')`;
	};
	const publish = async (prefix: string) => {
		const sends = Array.from({ length: BURST }, (_, i) =>
			publisher.publishAsync(
				deviceTopic('350203', DEVICES[i % DEVICES.length], 'event'),
				JSON.stringify({ v: 1, eventId: `${prefix}${i}`, type: 'door_open', at: new Date().toISOString() }),
				{ qos: 1 }
			)
		);
		await Promise.all(sends);
	};
	const storedIds = async (prefix: string) =>
		(
			await sql<{ eventId: string }[]>`
				select event_id from device_events
				where device_id = any(${sql.array(DEVICES)}::text[]) and event_id like ${prefix + '%'}`
		).map((row) => row.eventId);
	const drainedTotal = async () =>
		Number(/carecircle_ingest_drained_total\{node="[^"]+"\} (\d+)/.exec(await renderMetrics(survivor))![1]);

	beforeAll(async () => {
		const url = new URL(inject('databaseUrl'));
		const database = `peer_drain_${run}`;
		const admin = createSql(url.href, { max: 1 });
		await admin.unsafe(`create database ${database}`);
		cleanup.push(async () => {
			await admin.unsafe(`drop database if exists ${database} with (force)`);
			await admin.end();
		});
		url.pathname = `/${database}`;
		sql = await prepareDatabase(url.href);
		cleanup.push(() => sql.end());
		const householdId = await saveHousehold(sql, {
			externalId: `T-HD-${run}`,
			districtCode: '350203',
			residentName: '接管测试',
			location: [118.1, 24.46],
			consent: true
		});
		for (const id of DEVICES) await registerDevice(sql, { id, householdId, kind: 'door' });
		mosquitto = await startTestMosquitto(sql);
		cleanup.push(() => mosquitto.stop());
		survivor = await startTestServices({
			DATABASE_URL: url.href,
			ROLES: 'ingest',
			NODE_NAME: survivorName,
			INGEST_CONNECTIONS: '2',
			INGEST_PEER_SILENCE_S: '1',
			MQTT_URL: mosquitto.platformUrl,
			MQTT_USERNAME: mosquitto.platform.username,
			MQTT_PASSWORD: mosquitto.platform.password
		});
		cleanup.push(() => survivor.close());
		// The publisher speaks for all the devices at once, as the platform login may.
		publisher = await mqtt.connectAsync(mosquitto.platformUrl, {
			...mosquitto.platform,
			clientId: `drain-pub-${run}`
		});
		cleanup.push(() => publisher.endAsync());
	});

	afterAll(async () => {
		for (const undo of cleanup.reverse()) await undo();
	});

	it('stores once what a dead peer held and ends its sessions', async () => {
		const peer = `dead-${run}`;
		const before = await drainedTotal();
		await killedPeer(peer, 'd-');
		await waitFor('the whole burst stored', async () => (await storedIds('d-')).length >= BURST, 20_000);
		await waitFor('the peer forgotten', async () => {
			const [row] = await sql`select 1 from ingest_workers where node_name = ${peer}`;
			return !row;
		});
		expect(new Set(await storedIds('d-')).size).toBe(BURST);
		expect(await storedIds('d-')).toHaveLength(BURST);
		// The survivor's own connections took their share; the peer's was drained.
		expect((await drainedTotal()) - before).toBeGreaterThan(0);

		// Its sessions are gone: the broker routes nothing more there.
		const again = await joinAsPeer(peer, () => {});
		expect(again.map((joined) => joined.sessionPresent)).toEqual([false, false]);
		for (const { client } of again)
			await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } });
	});

	it('lets go of a peer that comes back during the drain, which then gets what was not yet acknowledged', async () => {
		const peer = `back-${run}`;
		await killedPeer(peer, 'b-');
		await waitFor(
			'the survivor to claim the peer',
			async () => {
				const [row] = await sql`select drained_by from ingest_workers where node_name = ${peer}`;
				return row?.drainedBy === survivorName;
			},
			10_000
		);
		// Back under its name, as a restarted worker is: it beats, then the broker hands it its sessions.
		await rejoin(sql, createLogger('silent'), peer, PEER_CONNECTIONS);
		const beating = setInterval(() => void beat(sql, peer, PEER_CONNECTIONS), 250);
		const received = new Set<string>();
		const back = (
			await joinAsPeer(peer, (packet, callback) => {
				received.add(JSON.parse(packet.payload.toString()).eventId);
				callback();
			})
		).map((joined) => joined.client);
		try {
			await waitFor(
				'every message stored or delivered to the returned peer',
				async () => {
					const stored = await storedIds('b-');
					return new Set([...stored, ...received]).size >= BURST;
				},
				20_000
			);
			// The drainer stopped for good: it does not take the sessions back, nor end them.
			await sleep(3000);
			for (const client of back) expect(client.connected).toBe(true);
			const [row] = await sql`select drained_by from ingest_workers where node_name = ${peer}`;
			expect(row).toEqual({ drainedBy: null });
			expect(new Set([...(await storedIds('b-')), ...received]).size).toBe(BURST);
		} finally {
			clearInterval(beating);
		}
		for (const client of back) await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } });
		await sql`delete from ingest_workers where node_name = ${peer}`;
	});
});
