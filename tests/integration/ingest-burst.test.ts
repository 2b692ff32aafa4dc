/**
 * A burst of 10,000 QoS 1 messages, 1,000 of them malformed in five different ways: exactly the
 * 9,000 good events are stored, the 1,000 bad ones become dead letters with their reasons, and the
 * ingest keeps running. On the real services the burst goes through a Mosquitto started with the
 * shipped config (the stock one drops QoS 1 messages under such a burst).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client';
import { checkHealth } from '../../src/lib/server/health';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { MAX_PAYLOAD_BYTES, deviceTopic } from '../../src/lib/mqtt/contract';
import type { Services } from '../../src/lib/server/services';
import { startTestMosquitto, type TestMosquitto } from '../support/mosquitto';
import { startTestServices } from '../support/services';
import { prepareDatabase } from '../support/database';
import { waitFor } from '../support/wait';

const run = Date.now().toString(36);
const DEVICES = Array.from({ length: 10 }, (_, i) => `T-BURST-${i}-${run}`);
const TOTAL = 10_000;
const BAD_EVERY = 10;

/** The i-th message of the burst: every tenth is malformed, cycling through five kinds of fault. */
function message(i: number): { topic: string; payload: string | Buffer } {
	const device = DEVICES[i % DEVICES.length];
	const good = { v: 1, eventId: `b-${i}`, type: 'motion', at: new Date().toISOString() };
	if (i % BAD_EVERY !== 0)
		return { topic: deviceTopic('350203', device, 'event'), payload: JSON.stringify(good) };
	switch ((i / BAD_EVERY) % 5) {
		case 0:
			return { topic: deviceTopic('350203', device, 'event'), payload: '{"v":1,"eventId":' };
		case 1:
			return {
				topic: deviceTopic('350203', device, 'event'),
				payload: JSON.stringify({ ...good, type: 42 })
			};
		case 2:
			return { topic: deviceTopic('350203', `T-UNKNOWN-${run}`, 'event'), payload: JSON.stringify(good) };
		case 3:
			return {
				topic: deviceTopic('350203', device, 'telemetry'),
				payload: Buffer.alloc(MAX_PAYLOAD_BYTES + 10, 32)
			};
		default:
			return { topic: `care/350203/devices/${device}/gossip`, payload: JSON.stringify(good) };
	}
}

describe('a burst of 10,000 messages with 1,000 malformed', () => {
	let setup: Sql;
	let mosquitto: TestMosquitto | undefined;
	let services: Services;
	let publisher: MqttClient;

	beforeAll(async () => {
		setup = await prepareDatabase();
		const householdId = await saveHousehold(setup, {
			externalId: `T-HB-${run}`,
			districtCode: '350203',
			residentName: '压力测试',
			location: [118.1, 24.46],
			consent: true
		});
		for (const id of DEVICES) await registerDevice(setup, { id, householdId, kind: 'inactivity' });
		let brokerEnv: Record<string, string> = {};
		let login = {};
		if (inject('servicesKind') === 'real') {
			mosquitto = await startTestMosquitto(setup);
			login = mosquitto.platform;
			brokerEnv = {
				MQTT_URL: mosquitto.platformUrl,
				MQTT_USERNAME: mosquitto.platform.username,
				MQTT_PASSWORD: mosquitto.platform.password
			};
		}
		services = await startTestServices({ ROLES: 'ingest', ...brokerEnv });
		// From here on, read through the services' own connection: behind an embedded PGlite a second
		// connection working at the same time could interleave with the ingest's queries.
		await setup.end();
		// The publisher speaks for all ten devices at once, as the platform login may.
		publisher = await mqtt.connectAsync(mosquitto?.platformUrl ?? inject('mqttUrl'), {
			...login,
			clientId: `burst-${run}`
		});
	});

	afterAll(async () => {
		// Forced: a publisher left with unacknowledged messages by a failed test would wait for them.
		await publisher?.endAsync(true);
		await services?.close();
		await mosquitto?.stop();
	});

	it('stores exactly the 9,000 good events, dead-letters the 1,000 bad ones with reasons, and stays up', async () => {
		const since = new Date();
		const sends: Promise<unknown>[] = [];
		for (let i = 0; i < TOTAL; i++) {
			const { topic, payload } = message(i);
			sends.push(publisher.publishAsync(topic, payload, { qos: 1 }));
		}
		await Promise.all(sends);
		const sql = services.database.sql;
		const counts = async () => {
			const [row] = await sql`
				select
					(select count(*)::int from device_events where device_id = any(${sql.array(DEVICES)}) and received_at >= ${since}) as stored,
					(select count(*)::int from dead_letters where received_at >= ${since} and topic like ${`%${run}%`}) as dead`;
			return row as { stored: number; dead: number };
		};
		await waitFor(
			'every message to be filed',
			async () => {
				const { stored, dead } = await counts();
				return stored + dead >= TOTAL;
			},
			180_000
		);
		expect(await counts()).toEqual({ stored: 9_000, dead: 1_000 });
		const reasons = await sql`
			select case
				when reason like 'payload is not UTF-8 JSON%' then 'json'
				when reason like 'event type:%' then 'schema'
				when reason like 'unknown device%' then 'unknown device'
				when reason like '%-byte limit' then 'oversized'
				when reason like 'topic % does not match%' then 'topic'
				else reason end as fault, count(*)::int as count
			from dead_letters where received_at >= ${since} and topic like ${`%${run}%`}
			group by 1 order by 1`;
		expect(reasons).toEqual(
			['json', 'oversized', 'schema', 'topic', 'unknown device'].map((fault) => ({ fault, count: 200 }))
		);
		expect((await checkHealth(services)).status).toBe('ok');
	}, 240_000);
});
