/**
 * Dispatch on the run's database: nearest responders by walking time on the shipped network, the
 * double-assignment conflict, the accept window skipping to the next responder, a decline, the
 * escalation ladder of the SLA timers, the on-scene SLA, closing freeing the responder, the
 * answer-time KPI and the audited detail read.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { answerTimesToday } from '../../src/lib/server/alerts/answer-times';
import { escalateOverdue } from '../../src/lib/server/alerts/escalation';
import { incidentDetail } from '../../src/lib/server/alerts/incident-detail';
import { IncidentActionError, actOnIncident, raiseAlert } from '../../src/lib/server/alerts/incidents';
import type { IncidentSummary } from '../../src/lib/realtime/events';
import { recentAudit } from '../../src/lib/server/audit/audit-log';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { saveHousehold } from '../../src/lib/server/devices/registry';
import { answerOffer, assignResponder } from '../../src/lib/server/dispatch/assignments';
import {
	proposeResponders,
	reportProgress,
	skipUnacceptedOffers
} from '../../src/lib/server/dispatch/dispatch';
import { findResponder, saveResponder } from '../../src/lib/server/dispatch/responders';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
const DISTRICT = '350203';
/** A home in Zhonghua street's old town, and responders at increasing distances from it. */
const HOME: [number, number] = [118.0825, 24.4565];
let sql: Sql;
let other: Sql | undefined;
const responders: Record<string, number> = {};

async function openIncident(name: string, ageS = 0, severity: 'critical' | 'high' = 'critical') {
	const householdId = await saveHousehold(sql, {
		externalId: `T-DSP-${name}-${run}`,
		districtCode: DISTRICT,
		residentName: `派单测试${name}`,
		phone: '13800000000',
		location: HOME,
		emergencyContacts: [{ name: '女儿', phone: '13900000000', relation: 'daughter' }],
		consent: true
	});
	const [{ code }] = await sql`select community_code as code from households where id = ${householdId}`;
	const { incident } = await sql.begin((tx) =>
		raiseAlert(tx as unknown as Sql, {
			householdId,
			districtCode: DISTRICT,
			communityCode: code,
			location: HOME,
			kind: 'fall',
			severity,
			at: new Date(Date.now() - ageS * 1000),
			actor: 'test',
			detail: {}
		})
	);
	return incident;
}

/** Another alert of the incident's household, as its device would raise it. */
const alertOf = (incident: IncidentSummary) => ({
	householdId: incident.householdId,
	districtCode: DISTRICT,
	communityCode: incident.communityCode,
	location: HOME,
	at: new Date(),
	actor: 'test',
	detail: {}
});

/** One dispatch step in its own transaction, as the console and the responders' API run them. */
const inTransaction = <T>(db: Sql, step: (tx: Sql) => Promise<T>) =>
	db.begin((tx) => step(tx as unknown as Sql)) as Promise<T>;

/** Only the responders this file made, so other files' responders do not disturb the ranking. */
async function freeOthers() {
	await sql`update responders set status = 'off' where external_id not like ${`T-R-%-${run}`}`;
}

beforeAll(async () => {
	sql = await prepareDatabase();
	// Concurrent connections only on a real PostgreSQL: an embedded PGlite serves one at a time.
	if (inject('servicesKind') === 'real') other = createSql(inject('databaseUrl'), { max: 1 });
	const place = (dLon: number, dLat: number): [number, number] => [HOME[0] + dLon, HOME[1] + dLat];
	for (const [name, location, role] of [
		['near', place(0.002, 0.001), 'grid_worker'],
		['middle', place(-0.006, 0.004), 'station_staff'],
		['far', place(0.012, -0.008), 'volunteer']
	] as const) {
		responders[name] = await saveResponder(sql, {
			externalId: `T-R-${name}-${run}`,
			districtCode: DISTRICT,
			name: `应答员${name}`,
			role,
			location
		});
	}
	await freeOthers();
});

afterAll(async () => {
	await sql`update responders set status = 'off' where external_id like ${`T-R-%-${run}`}`;
	await sql?.end();
	await other?.end();
});

/** A dispatcher offers the incident to the nearest responder. */
const offerToNearest = (incidentId: number) =>
	inTransaction(sql, (tx) =>
		assignResponder(tx, { incidentId, responderId: responders.near, actor: 'd', acceptWithinS: 60 })
	);

describe('dispatch', () => {
	it('proposes the available responders nearest by walking time on the street network', async () => {
		const incident = await openIncident('rank');
		const proposals = await proposeResponders(sql, incident, { limit: 3 });
		expect(proposals.map((p) => p.responder.id)).toEqual([
			responders.near,
			responders.middle,
			responders.far
		]);
		expect(proposals.every((p) => p.method === 'network')).toBe(true);
		// Walking on streets is never shorter than the straight line.
		expect(proposals[0].meters).toBeGreaterThan(200);
		await actOnIncident(sql, { incidentId: incident.id, action: 'mark_false_alarm', actor: 'test' });
	});

	it('ranks responders lacking the skills the alerts need further away, saying what they lack', async () => {
		const fall = await openIncident('skills');
		// The fall, then abnormal vitals and a wander out of the geofence: first aid, nursing, an escort.
		const incident = (
			await inTransaction(sql, async (tx) => {
				for (const kind of ['abnormal_vitals', 'geofence_exit'] as const)
					await raiseAlert(tx, { ...alertOf(fall), kind, severity: 'high' });
				return raiseAlert(tx, { ...alertOf(fall), kind: 'fall', severity: 'critical' });
			})
		).incident;
		expect(incident.kinds).toEqual(['fall', 'abnormal_vitals', 'geofence_exit']);
		await sql`update responders set skills = '{first_aid,nursing,escort}' where id = ${responders.middle}`;
		try {
			const proposals = await proposeResponders(sql, incident, { limit: 3 });
			// The middle one walks 600 s further than the nearest, who lacks three skills (900 s).
			expect(proposals.map((p) => [p.responder.id, p.missingSkills])).toEqual([
				[responders.middle, []],
				[responders.near, ['first_aid', 'nursing', 'escort']],
				[responders.far, ['first_aid', 'nursing', 'escort']]
			]);
			expect(proposals[0].seconds).toBeGreaterThan(proposals[1].seconds);
		} finally {
			await sql`update responders set skills = '{}' where id = ${responders.middle}`;
		}
		await actOnIncident(sql, { incidentId: incident.id, action: 'mark_false_alarm', actor: 'test' });
	});

	it('gives the second of two dispatchers assigning one incident at once a clear conflict', async () => {
		const incident = await openIncident('race');
		const assign = (db: Sql, responderId: number, actor: string) =>
			inTransaction(db, (tx) =>
				assignResponder(tx, { incidentId: incident.id, responderId, actor, acceptWithinS: 60 })
			).then(
				(change) => ({ ok: true as const, change }),
				(error: unknown) => ({ ok: false as const, error })
			);
		const results = other
			? await Promise.all([
					assign(sql, responders.near, 'dispatcher-a'),
					assign(other, responders.middle, 'dispatcher-b')
				])
			: [
					await assign(sql, responders.near, 'dispatcher-a'),
					await assign(sql, responders.middle, 'dispatcher-b')
				];
		const won = results.filter((r) => r.ok);
		const lost = results.filter((r) => !r.ok);
		expect(won).toHaveLength(1);
		expect(lost).toHaveLength(1);
		const refusal = (lost[0] as { error: IncidentActionError }).error;
		expect(refusal).toBeInstanceOf(IncidentActionError);
		expect(refusal.code).toBe('CONFLICT');
		expect(refusal.message).toMatch(/already offered to 应答员/);
		const live = await sql`select count(*)::int as n from incident_assignments
			where incident_id = ${incident.id} and state in ('offered', 'accepted')`;
		expect(live[0].n).toBe(1);
		// The loser's responder was never made busy.
		const loserId =
			won[0].ok && won[0].change.incident.responder?.id === responders.near
				? responders.middle
				: responders.near;
		expect((await findResponder(sql, loserId))?.status).toBe('available');
		await actOnIncident(sql, { incidentId: incident.id, action: 'mark_false_alarm', actor: 'test' });
		expect((await findResponder(sql, responders.near))?.status).toBe('available');
		expect((await findResponder(sql, responders.middle))?.status).toBe('available');
	});

	it('skips a responder who does not accept in time and asks the next nearest', async () => {
		const incident = await openIncident('timeout');
		await offerToNearest(incident.id);
		await sql`update incident_assignments set accept_by = now() - interval '1 s'
			where incident_id = ${incident.id} and state = 'offered'`;
		const { changes, freed } = await skipUnacceptedOffers(sql, 60);
		const change = changes.find((c) => c.incident.id === incident.id)!;
		expect(change.incident.responder).toMatchObject({ id: responders.middle, assignment: 'offered' });
		expect(freed.map((r) => r.id)).toContain(responders.near);
		const states = await sql`select responder_id, state from incident_assignments
			where incident_id = ${incident.id} order by id`;
		expect(states.map((s) => [Number(s.responderId), s.state])).toEqual([
			[responders.near, 'timed_out'],
			[responders.middle, 'offered']
		]);
		const timeline =
			await sql`select action from incident_events where incident_id = ${incident.id} order by id`;
		expect(timeline.map((t) => t.action)).toEqual(['opened', 'assign', 'offer_timed_out', 'assign']);
		await actOnIncident(sql, { incidentId: incident.id, action: 'mark_false_alarm', actor: 'test' });
	});

	it('lets the responder accept, go, arrive and resolve, which stops the clock and frees them', async () => {
		const incident = await openIncident('journey');
		await offerToNearest(incident.id);
		const step = (action: 'depart' | 'arrive') =>
			inTransaction(sql, (tx) =>
				reportProgress(tx, { incidentId: incident.id, responderId: responders.near, actor: 'r', action })
			);
		await expect(step('depart')).rejects.toMatchObject({ code: 'CONFLICT' });
		const accepted = await inTransaction(sql, (tx) =>
			answerOffer(tx, { incidentId: incident.id, responderId: responders.near, accept: true, actor: 'r' })
		);
		expect(accepted.incident.responder?.assignment).toBe('accepted');
		expect(accepted.incident.sla?.kind).toBe('on_scene');
		expect((await step('depart')).incident.state).toBe('en_route');
		const arrived = await step('arrive');
		expect(arrived.incident.state).toBe('on_scene');
		expect(arrived.incident.sla).toBeNull();
		const closed = await inTransaction(sql, (tx) =>
			reportProgress(tx, {
				incidentId: incident.id,
				responderId: responders.near,
				actor: 'r',
				action: 'resolve',
				outcome: 'home_visit'
			})
		);
		expect(closed.incident.state).toBe('resolved');
		// As the consoles get it: nobody is on it any more.
		expect(closed.incident.responder).toBeNull();
		expect(closed.responders.map((r) => [r.id, r.status])).toEqual([[responders.near, 'available']]);
	});

	it('climbs the territory ladder each time the SLA runs out, with no timer on the last rung', async () => {
		const incident = await openIncident('ladder');
		await sql`update incidents set sla_due_at = now() - interval '1 s' where id = ${incident.id}`;
		const tiers: unknown[] = [];
		for (let rung = 1; rung <= 4; rung++) {
			const escalated = (await escalateOverdue(sql)).find((i) => i.id === incident.id);
			expect(escalated?.escalationLevel).toBe(rung);
			const [last] =
				await sql`select detail from incident_events where incident_id = ${incident.id} order by id desc limit 1`;
			tiers.push(last.detail.tier);
			if (rung < 4) {
				expect(escalated?.sla?.kind).toBe('ack');
				await sql`update incidents set sla_due_at = now() - interval '1 s' where id = ${incident.id}`;
			} else expect(escalated?.sla).toBeNull();
		}
		expect(tiers).toEqual(['community_station', 'street_centre', 'district_duty_desk', 'emergency_number']);
		expect((await escalateOverdue(sql)).map((i) => i.id)).not.toContain(incident.id);
		await actOnIncident(sql, { incidentId: incident.id, action: 'mark_false_alarm', actor: 'test' });
	});

	it('escalates an acknowledged incident nobody reached within the on-scene SLA', async () => {
		const incident = await openIncident('onscene');
		const acked = await actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'd' });
		// Critical: on scene within 15 minutes of the alert.
		expect(Date.parse(acked.incident.sla!.dueAt) - Date.parse(acked.incident.openedAt)).toBe(900_000);
		await sql`update incidents set sla_due_at = now() - interval '1 s' where id = ${incident.id}`;
		await escalateOverdue(sql);
		const [last] = await sql`select action, from_state, detail from incident_events
			where incident_id = ${incident.id} order by id desc limit 1`;
		expect(last).toMatchObject({
			action: 'escalate',
			fromState: 'acknowledged',
			detail: { missed: 'on_scene' }
		});
		await actOnIncident(sql, { incidentId: incident.id, action: 'mark_false_alarm', actor: 'test' });
	});

	it('counts today’s critical alerts answered within 60 s and lists the late ones', async () => {
		const before = await answerTimesToday(sql, DISTRICT);
		const quick = await openIncident('quick');
		await actOnIncident(sql, { incidentId: quick.id, action: 'acknowledge', actor: 'd' });
		const slow = await openIncident('slow', 90);
		await actOnIncident(sql, { incidentId: slow.id, action: 'acknowledge', actor: 'd' });
		await sql`update incidents set opened_at = now() - interval '90 s', critical_since = now() - interval '90 s' where id = ${slow.id}`;
		const after = await answerTimesToday(sql, DISTRICT);
		expect(after.criticalAlerts - before.criticalAlerts).toBe(2);
		expect(after.within60s - before.within60s).toBe(1);
		expect(after.within180s - before.within180s).toBe(2);
		expect(after.exceptions.map((e) => e.incidentId)).toContain(slow.id);
		expect(after.exceptions.map((e) => e.incidentId)).not.toContain(quick.id);
		for (const i of [quick, slow])
			await actOnIncident(sql, {
				incidentId: i.id,
				action: 'resolve',
				outcome: 'resolved_by_phone',
				actor: 'd'
			});
	});

	it('shows the household, contacts and timeline in the detail, and audits the read', async () => {
		const incident = await openIncident('detail');
		const detail = await incidentDetail(sql, incident.id, { actor: 'web:test', districtCode: DISTRICT });
		expect(detail?.household).toMatchObject({ residentName: '派单测试detail', consent: true });
		expect(detail?.household.emergencyContacts[0]).toMatchObject({ name: '女儿' });
		expect(detail?.household.communityName).toBeTruthy();
		expect(detail?.timeline.map((t) => t.action)).toEqual(['opened']);
		expect(detail?.proposals[0].responder.id).toBe(responders.near);
		expect(detail?.facilities.every((f) => f.seconds <= 900)).toBe(true);
		const [audit] = await recentAudit(sql, {
			subjectType: 'household',
			subjectId: String(incident.householdId)
		});
		expect(audit).toMatchObject({ actor: 'web:test', action: 'incident.detail_read' });
		const elsewhere = await recentAudit(sql, {
			subjectType: 'household',
			subjectId: String(incident.householdId),
			districtCode: '350206'
		});
		expect(elsewhere).toEqual([]);
		expect(await incidentDetail(sql, incident.id, { actor: 'web:test', districtCode: '350206' })).toBeNull();
		await actOnIncident(sql, { incidentId: incident.id, action: 'mark_false_alarm', actor: 'test' });
	});
});
