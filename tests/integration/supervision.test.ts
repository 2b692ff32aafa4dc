/**
 * Lost-contact supervision on the real database: a device silent past its heartbeat window raises
 * one alert, once, however many timer processes look at the same moment.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	MISSED_HEARTBEATS,
	SUPERVISED_HEARTBEAT_MAX_S,
	superviseSilentDevices
} from '../../src/lib/server/alerts/supervision';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { findIngestDevices } from '../../src/lib/server/ingest/ingest-devices';
import { storeUplinks } from '../../src/lib/server/ingest/store-uplink';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
let sql: Sql;
let other: Sql;
let householdId: number;

async function silentDevice(id: string, silentForS: number, heartbeatS = 60) {
	await registerDevice(sql, { id, householdId, kind: 'inactivity', heartbeatS });
	await sql`update devices set last_seen = now() - make_interval(secs => ${silentForS}), online = true where id = ${id}`;
}

const lostContactAlerts = async (deviceId: string) =>
	(
		await sql`select count(*)::int as count from incident_events where actor = 'supervision' and detail->>'deviceId' = ${deviceId}`
	)[0].count;

beforeAll(async () => {
	sql = await prepareDatabase();
	// A second client stands in for a second timers process.
	other = createSql(inject('databaseUrl'), { max: 1 });
	// Devices of earlier runs must not answer for this one.
	await sql`update devices set lost_contact_at = now() where lost_contact_at is null`;
	householdId = await saveHousehold(sql, {
		externalId: `T-HS-${run}`,
		districtCode: '350203',
		residentName: '监护测试',
		location: [118.12, 24.48],
		consent: true
	});
});

afterAll(async () => {
	await sql?.end();
	await other?.end();
});

describe('supervision of silent devices', () => {
	it('raises a lost-contact alert for a device silent past 2.5 heartbeats, and leaves a recent one alone', async () => {
		await silentDevice(`T-SIL-${run}`, 200);
		await silentDevice(`T-OK-${run}`, 100);
		const { raised } = await superviseSilentDevices(sql);
		expect(raised.map((r) => r.incident.kinds)).toEqual([expect.arrayContaining(['lost_contact'])]);
		expect(await lostContactAlerts(`T-SIL-${run}`)).toBe(1);
		expect(await lostContactAlerts(`T-OK-${run}`)).toBe(0);
		const [device] = await sql`select online from devices where id = ${`T-SIL-${run}`}`;
		expect(device.online).toBe(false);
	});

	it('does not raise it again while the device stays silent, and again after it came back and fell silent', async () => {
		await superviseSilentDevices(sql);
		expect(await lostContactAlerts(`T-SIL-${run}`)).toBe(1);
		const device = (await findIngestDevices(sql, [`T-SIL-${run}`])).get(`T-SIL-${run}`)!;
		const heard = await storeUplinks(sql, [
			{ device, message: { kind: 'telemetry', payload: { v: 1, at: new Date().toISOString() } } }
		]);
		// The dispatcher sees it come back on the lost-contact incident.
		expect(heard.incidents).toHaveLength(1);
		const [back] = await sql`
			select actor, action from incident_events where incident_id = ${heard.incidents[0].incident.id}
			order by id desc limit 1`;
		expect(back).toEqual({ actor: `device:T-SIL-${run}`, action: 'device_back' });
		await sql`update devices set last_seen = now() - interval '1 hour' where id = ${`T-SIL-${run}`}`;
		await superviseSilentDevices(sql);
		expect(await lostContactAlerts(`T-SIL-${run}`)).toBe(2);
	});

	it('declares a silence once when two timer processes look at the same moment', async () => {
		for (let i = 0; i < 5; i++) await silentDevice(`T-RACE-${i}-${run}`, 500);
		const [a, b] = await Promise.all([superviseSilentDevices(sql), superviseSilentDevices(other)]);
		const incidents = new Set([...a.raised, ...b.raised].map((r) => r.incident.id));
		expect(incidents.size).toBe(1);
		for (let i = 0; i < 5; i++) expect(await lostContactAlerts(`T-RACE-${i}-${run}`)).toBe(1);
	});

	it('holds lost-contact alerts while most devices fall silent at once, and raises them once most are heard', async () => {
		await sql`update devices set lost_contact_at = now() where lost_contact_at is null`;
		const ids = Array.from({ length: 20 }, (_, i) => `T-MASS-${i}-${run}`);
		for (const id of ids) await silentDevice(id, 10);
		// The broker goes quiet: 12 of 20 homes look silent in the same round.
		await sql`update devices set last_seen = now() - interval '1 hour' where id = any(${ids.slice(0, 12)})`;
		const held = await superviseSilentDevices(sql);
		expect(held).toEqual({ raised: [], massSilence: { silent: 12, active: 20 } });
		expect(await lostContactAlerts(ids[0])).toBe(0);
		// Ten of them report again: the two still silent are real losses of contact.
		await sql`update devices set last_seen = now() where id = any(${ids.slice(0, 10)})`;
		const resumed = await superviseSilentDevices(sql);
		expect(resumed.massSilence).toBeNull();
		expect(await lostContactAlerts(ids[10])).toBe(1);
		expect(await lostContactAlerts(ids[11])).toBe(1);
		expect(await lostContactAlerts(ids[0])).toBe(0);
	});

	it('leaves alone a device that went offline by its last will, which raised its own alert', async () => {
		await sql`update devices set lost_contact_at = now() where lost_contact_at is null`;
		const gone = `T-WILL-${run}`;
		const silent = `T-WILL-CONTROL-${run}`;
		await silentDevice(gone, 10);
		await silentDevice(silent, 10);
		const device = (await findIngestDevices(sql, [gone])).get(gone)!;
		const offline = await storeUplinks(sql, [
			{
				device,
				message: { kind: 'status', payload: { v: 1, state: 'offline', at: new Date().toISOString() } }
			}
		]);
		expect(offline.incidents.map((c) => c.incident.kinds)).toEqual([
			expect.arrayContaining(['device_offline'])
		]);
		// Both are silent long past their window now; only the one still online is news.
		await sql`update devices set last_seen = now() - interval '1 hour' where id in (${gone}, ${silent})`;
		await superviseSilentDevices(sql);
		expect(await lostContactAlerts(silent)).toBe(1);
		expect(await lostContactAlerts(gone)).toBe(0);
		const [row] = await sql`select online, lost_contact_at from devices where id = ${gone}`;
		expect(row).toEqual({ online: false, lostContactAt: null });
	});

	it('supervises a device registered with a day-long heartbeat within hours, not days', async () => {
		await sql`update devices set lost_contact_at = now() where lost_contact_at is null`;
		const windowS = SUPERVISED_HEARTBEAT_MAX_S * MISSED_HEARTBEATS;
		const lost = `T-DAILY-LOST-${run}`;
		const quiet = `T-DAILY-QUIET-${run}`;
		await silentDevice(lost, windowS + 60, 86_400);
		await silentDevice(quiet, windowS - 600, 86_400);
		await superviseSilentDevices(sql);
		expect(await lostContactAlerts(lost)).toBe(1);
		expect(await lostContactAlerts(quiet)).toBe(0);
	});
});
