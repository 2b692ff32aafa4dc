/**
 * Raising alerts on the real database. A batch (the ingest's way: one statement for every
 * household's incident, one for the timeline) leaves each incident and its alerts' timeline as
 * raising them one after another does; the clocks run on the platform's time, so times are compared
 * as the acknowledge window they set. An incident already answered is put back to be answered by a
 * more urgent alert; a second acknowledge is a conflict naming the first; the door shut behind a
 * fall makes the incident one of high confidence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTimesToday } from '../../src/lib/server/alerts/answer-times';
import {
	actOnIncident,
	IncidentActionError,
	raiseAlert,
	raiseAlerts,
	type AlertInput
} from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { findIngestDevices } from '../../src/lib/server/ingest/ingest-devices';
import { storeUplinks } from '../../src/lib/server/ingest/store-uplink';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
let sql: Sql;

beforeAll(async () => {
	sql = await prepareDatabase();
});

afterAll(async () => {
	await sql?.end();
});

const household = (name: string) =>
	saveHousehold(sql, {
		externalId: `T-RA-${name}-${run}`,
		districtCode: '350203',
		residentName: '批量告警',
		location: [118.1, 24.46],
		consent: true
	});

/** A water leak, then a fall (critical, leads), then inactivity, then a second fall. */
const alertsOf = (householdId: number): AlertInput[] =>
	(
		[
			['water_leak', 'medium', 0],
			['fall', 'critical', 5],
			['inactivity', 'high', 9],
			['fall', 'critical', 12]
		] as const
	).map(([kind, severity, seconds], i) => ({
		householdId,
		districtCode: '350203',
		communityCode: null,
		location: [118.1, 24.46],
		kind,
		severity,
		at: new Date(Date.UTC(2026, 10, 29, 2, 0, seconds)),
		actor: `device:T-RA-${i}`,
		detail: { n: i }
	}));

const incidentOf = (householdId: number) =>
	sql`select kind, kinds, severity, alert_count, confidence, sla_kind,
			round(extract(epoch from sla_due_at - last_alert_at))::int as ack_window_s
		from incidents where household_id = ${householdId} and state = 'new'`;
const timelineOf = (householdId: number) =>
	sql`select e.action, e.actor, e.detail from incident_events e
		join incidents i on i.id = e.incident_id
		where i.household_id = ${householdId} and e.action in ('opened', 'alert_attached') order by e.id`;
const confidenceChanges = (householdId: number) =>
	sql`select e.detail from incident_events e join incidents i on i.id = e.incident_id
		where i.household_id = ${householdId} and e.action = 'confidence_changed'`;

describe('raising alerts as a batch', () => {
	it('opens and fills an incident as raising the same alerts one by one does', async () => {
		const [one, batch] = [await household('one'), await household('batch')];
		for (const alert of alertsOf(one)) await raiseAlert(sql, alert);
		const raised = await sql.begin((tx) => raiseAlerts(tx as unknown as Sql, alertsOf(batch)));

		const [expected] = await incidentOf(one);
		// A fall, then no motion: two observations of one emergency, so high confidence.
		expect(expected).toMatchObject({
			kind: 'fall',
			severity: 'critical',
			alertCount: 4,
			confidence: 'high',
			ackWindowS: 60
		});
		expect(expected.kinds).toEqual(['water_leak', 'fall', 'inactivity']);
		expect(await incidentOf(batch)).toEqual([expected]);
		expect(await timelineOf(batch)).toEqual(await timelineOf(one));
		// One by one, the timeline shows when it rose; the batch opened the incident that sure.
		expect(await confidenceChanges(one)).toEqual([
			{ detail: { confidence: 'high', evidence: ['fall', 'inactivity'] } }
		]);
		expect(raised.incidents).toHaveLength(1);
		expect(raised.incidents[0].opened).toBe(true);
		expect(raised.incidentIds).toEqual(Array(4).fill(raised.incidents[0].incident.id));
	});

	it('joins an open incident with a batch as one by one, and a more urgent alert leads it', async () => {
		const [one, batch] = [await household('join-one'), await household('join-batch')];
		const [first, ...rest] = alertsOf(one);
		await raiseAlert(sql, first);
		for (const alert of rest) await raiseAlert(sql, alert);
		const [firstB, ...restB] = alertsOf(batch);
		await raiseAlert(sql, firstB);
		const raised = await sql.begin((tx) => raiseAlerts(tx as unknown as Sql, restB));

		expect(raised.incidents[0].opened).toBe(false);
		expect(await incidentOf(batch)).toEqual(await incidentOf(one));
		expect(await timelineOf(batch)).toEqual(await timelineOf(one));
	});

	it('keeps households apart in one batch, each with its own incident and count', async () => {
		const [a, b] = [await household('apart-a'), await household('apart-b')];
		const mixed = [...alertsOf(a).slice(0, 2), ...alertsOf(b).slice(0, 3)].sort(
			(x, y) => x.at.getTime() - y.at.getTime()
		);
		const raised = await sql.begin((tx) => raiseAlerts(tx as unknown as Sql, mixed));
		expect(raised.incidents.map((r) => r.incident.alertCount).sort()).toEqual([2, 3]);
		expect(new Set(raised.incidentIds).size).toBe(2);
	});
});

const alert = (
	householdId: number,
	kind: AlertInput['kind'],
	severity: AlertInput['severity']
): AlertInput => ({
	householdId,
	districtCode: '350203',
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
		const before = await answerTimesToday(sql, '350203');

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
		const after = await answerTimesToday(sql, '350203');
		expect(after.criticalAlerts - before.criticalAlerts).toBe(1);

		await actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'user:second' });
		const answered = await answerTimesToday(sql, '350203');
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
		const first = await actOnIncident(sql, {
			incidentId: incident.id,
			action: 'acknowledge',
			actor: 'user:first'
		});
		const second = actOnIncident(sql, {
			incidentId: incident.id,
			action: 'acknowledge',
			actor: 'user:second'
		});
		await expect(second).rejects.toBeInstanceOf(IncidentActionError);
		await expect(second).rejects.toMatchObject({
			code: 'CONFLICT',
			message: expect.stringMatching(/^already acknowledged by user:first at \d\d:\d\d:\d\d$/),
			detail: { kind: 'already_acknowledged', by: 'user:first', at: first.incident.acknowledgedAt }
		});
	});
});

describe('confidence', () => {
	it('is high for a fall behind a door last reported shut, medium for a fall alone', async () => {
		const [alone, shut] = [await household('fall-alone'), await household('fall-shut')];
		const door = await registerDevice(sql, { id: `T-RA-door-${run}`, householdId: shut, kind: 'door' });
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
