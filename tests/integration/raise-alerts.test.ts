/**
 * Alerts raised as a batch (the ingest's way: one statement for every household's incident, one for
 * the timeline) leave each incident and its alerts' timeline as raising them one after another does.
 * The clocks run on the platform's time, so times are compared as the acknowledge window they set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert, raiseAlerts, type AlertInput } from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { saveHousehold } from '../../src/lib/server/devices/registry';
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
