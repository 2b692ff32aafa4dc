/**
 * What happens to an incident already answered when more arrives, on the real database: a more
 * urgent alert puts it back to be answered, a second acknowledge is a conflict naming the first,
 * and the door shut behind a fall makes the incident one of high confidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTimesToday } from '../../src/lib/server/alerts/answer-times';
import {
	actOnIncident,
	IncidentActionError,
	raiseAlert,
	type AlertInput
} from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { findIngestDevices } from '../../src/lib/server/ingest/ingest-devices';
import { storeUplinks } from '../../src/lib/server/ingest/store-uplink';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
const DISTRICT = '350203';
let sql: Sql;

beforeAll(async () => {
	sql = await prepareDatabase();
});

afterAll(async () => {
	await sql?.end();
});

const household = (name: string) =>
	saveHousehold(sql, {
		externalId: `T-IL-${name}-${run}`,
		districtCode: DISTRICT,
		residentName: '生命周期',
		location: [118.09, 24.45],
		consent: true
	});

const alert = (
	householdId: number,
	kind: AlertInput['kind'],
	severity: AlertInput['severity']
): AlertInput => ({
	householdId,
	districtCode: DISTRICT,
	communityCode: null,
	location: [118.09, 24.45],
	kind,
	severity,
	at: new Date(),
	actor: 'test',
	detail: {}
});

describe('an incident that has been answered', () => {
	it('is put back to be answered, with a fresh timer, when a critical alert joins it', async () => {
		const home = await household('reopen');
		const { incident } = await raiseAlert(sql, alert(home, 'low_battery', 'low'));
		expect(incident).toMatchObject({ confidence: 'low', criticalSince: null });
		await actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'user:first' });
		const before = await answerTimesToday(sql, DISTRICT);

		const { incident: fall, opened } = await raiseAlert(sql, alert(home, 'fall', 'critical'));
		expect(opened).toBe(false);
		expect(fall).toMatchObject({
			id: incident.id,
			state: 'new',
			severity: 'critical',
			acknowledgedAt: null,
			sla: { kind: 'ack' }
		});
		expect(Date.parse(fall.sla!.dueAt) - Date.parse(fall.criticalSince!)).toBe(60_000);
		const timeline = await sql`
			select action, from_state, to_state from incident_events where incident_id = ${incident.id} order by id`;
		expect(timeline.map((t) => t.action)).toEqual([
			'opened',
			'acknowledge',
			'alert_attached',
			'reopened',
			'confidence_changed'
		]);
		expect(timeline[3]).toMatchObject({ fromState: 'acknowledged', toState: 'new' });
		// It counts as a critical alert waiting to be answered.
		const after = await answerTimesToday(sql, DISTRICT);
		expect(after.criticalAlerts - before.criticalAlerts).toBe(1);

		await actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'user:second' });
		const answered = await answerTimesToday(sql, DISTRICT);
		expect(answered.within60s - before.within60s).toBe(1);
	});

	it('keeps its state when an alert no more urgent than it joins (repeats are counted)', async () => {
		const home = await household('repeat');
		const { incident } = await raiseAlert(sql, alert(home, 'sos', 'critical'));
		await actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'user:first' });
		const { incident: repeated } = await raiseAlert(sql, alert(home, 'sos', 'critical'));
		expect(repeated).toMatchObject({ state: 'acknowledged', alertCount: 2, sla: { kind: 'on_scene' } });
	});

	it('refuses a second acknowledge as a conflict that names who answered first', async () => {
		const home = await household('twice');
		const { incident } = await raiseAlert(sql, alert(home, 'sos', 'critical'));
		await actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'user:first' });
		const second = actOnIncident(sql, {
			incidentId: incident.id,
			action: 'acknowledge',
			actor: 'user:second'
		});
		await expect(second).rejects.toBeInstanceOf(IncidentActionError);
		await expect(second).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/^already acknowledged by user:first at \d\d:\d\d:\d\d$/)
		});
	});
});

describe('confidence', () => {
	it('is high for a fall behind a door last reported shut, medium for a fall alone', async () => {
		const [alone, shut] = [await household('fall-alone'), await household('fall-shut')];
		const door = await registerDevice(sql, { id: `T-IL-door-${run}`, householdId: shut, kind: 'door' });
		const device = (await findIngestDevices(sql, [door.id])).get(door.id)!;
		const doorEvent = (type: 'door_open' | 'door_closed', eventId: string, at: Date) => ({
			device,
			message: { kind: 'event' as const, payload: { v: 1 as const, eventId, type, at: at.toISOString() } }
		});
		await storeUplinks(sql, [
			doorEvent('door_open', 'd1', new Date(Date.now() - 120_000)),
			doorEvent('door_closed', 'd2', new Date(Date.now() - 60_000))
		]);

		expect((await raiseAlert(sql, alert(alone, 'fall', 'critical'))).incident.confidence).toBe('medium');
		const { incident } = await raiseAlert(sql, alert(shut, 'fall', 'critical'));
		expect(incident.confidence).toBe('high');
		const [change] = await sql`
			select detail from incident_events where incident_id = ${incident.id} and action = 'confidence_changed'`;
		expect(change.detail).toEqual({ confidence: 'high', evidence: ['fall', 'door_closed'] });
	});
});
