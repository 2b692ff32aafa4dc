/**
 * The SLA clock on the run's database: a more urgent alert joining an open incident restarts the
 * clock for its severity, whatever the state or rung (the acknowledge timer while nobody answered,
 * the on-scene timer while a responder is on the way, nothing once someone is there); the on-scene
 * deadline counts from when the incident last became this urgent (opened, turned critical, reopened).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdue } from '../../src/lib/server/alerts/escalation';
import { actOnIncident, type AlertInput } from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { saveResponder } from '../../src/lib/server/dispatch/responders';
import { raiseTestAlert, saveTestHousehold, testAlert } from '../support/alerts';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
const DISTRICT = '350203';
const HOME: [number, number] = [118.1, 24.47];
let sql: Sql;
let households = 0;

const alert = (householdId: number, kind: AlertInput['kind'], severity: AlertInput['severity']) =>
	testAlert(householdId, kind, severity, { location: HOME });
const raise = (a: AlertInput) => raiseTestAlert(sql, a);

/** A household's incident opened by `kind`, `ageS` seconds ago (its clocks moved back with it). */
async function incidentOf(kind: AlertInput['kind'], severity: AlertInput['severity'], ageS = 0) {
	const householdId = await saveTestHousehold(sql, `T-SLA-${++households}-${run}`, HOME);
	const { incident } = await raise(alert(householdId, kind, severity));
	await sql`
		update incidents set opened_at = opened_at - make_interval(secs => ${ageS}),
			critical_since = critical_since - make_interval(secs => ${ageS}),
			sla_due_at = sla_due_at - make_interval(secs => ${ageS})
		where id = ${incident.id}`;
	return { householdId, id: incident.id };
}

/** The running timer: its kind and how many seconds from now it is due (null when none runs). */
async function clockOf(id: number) {
	const [row] = await sql<{ slaKind: string | null; dueInS: number | null }[]>`
		select sla_kind, round(extract(epoch from sla_due_at - now()))::int as due_in_s
		from incidents where id = ${id}`;
	return row;
}

const act = (incidentId: number, action: 'acknowledge' | 'assign' | 'depart' | 'arrive' | 'escalate') =>
	actOnIncident(sql, { incidentId, action, actor: 'd' });

/** A responder accepted the incident (as answerOffer leaves it), so they may go and arrive. */
async function acceptedBy(incidentId: number) {
	const responderId = await saveResponder(sql, {
		externalId: `T-SLA-R-${incidentId}-${run}`,
		districtCode: DISTRICT,
		name: '时钟应答员',
		role: 'grid_worker',
		status: 'off'
	});
	await sql`
		insert into incident_assignments (incident_id, responder_id, assigned_by, accept_by, state, answered_at)
		values (${incidentId}, ${responderId}, 'test', now(), 'accepted', now())`;
}

beforeAll(async () => {
	sql = await prepareDatabase();
});

afterAll(async () => {
	await sql?.end();
});

describe('a more urgent alert restarts the clock', () => {
	it('for an unanswered incident, from now, even when the old deadline was nearer', async () => {
		// A water leak 9 min 30 s old: 30 s left of its 10 minutes.
		const { householdId, id } = await incidentOf('water_leak', 'medium', 570);
		expect(await clockOf(id)).toEqual({ slaKind: 'ack', dueInS: 30 });
		// Inactivity (high): 3 minutes to acknowledge, counted from now.
		await raise(alert(householdId, 'inactivity', 'high'));
		expect(await clockOf(id)).toEqual({ slaKind: 'ack', dueInS: 180 });
	});

	it('on the top rung of the old severity, where no timer ran any more', async () => {
		const { householdId, id } = await incidentOf('water_leak', 'medium');
		for (let rung = 0; rung < 2; rung++) {
			await sql`update incidents set sla_due_at = now() - interval '1 s' where id = ${id}`;
			await escalateOverdue(sql);
		}
		const [top] = await sql`select escalation_level, state from incidents where id = ${id}`;
		expect(top).toEqual({ escalationLevel: 2, state: 'escalated' });
		expect(await clockOf(id)).toEqual({ slaKind: null, dueInS: null });
		const { incident } = await raise(alert(householdId, 'fall', 'critical'));
		expect(incident).toMatchObject({ state: 'escalated', escalationLevel: 2, severity: 'critical' });
		expect(await clockOf(id)).toEqual({ slaKind: 'ack', dueInS: 60 });
	});

	it('for the on-scene timer while a responder is on the way', async () => {
		const { householdId, id } = await incidentOf('inactivity', 'high', 1200);
		await act(id, 'assign');
		await acceptedBy(id);
		await act(id, 'depart');
		// High: on scene within 30 minutes of the alert, 20 of them gone.
		expect(await clockOf(id)).toEqual({ slaKind: 'on_scene', dueInS: 600 });
		const { incident } = await raise(alert(householdId, 'fall', 'critical'));
		expect(incident.state).toBe('en_route');
		// Critical: on scene within 15 minutes, counted from the fall.
		expect(await clockOf(id)).toEqual({ slaKind: 'on_scene', dueInS: 900 });
	});

	it('not at all once a responder is on scene', async () => {
		const { householdId, id } = await incidentOf('inactivity', 'high');
		await act(id, 'assign');
		await acceptedBy(id);
		await act(id, 'arrive');
		await raise(alert(householdId, 'fall', 'critical'));
		expect(await clockOf(id)).toEqual({ slaKind: null, dueInS: null });
	});

	it('and not for an alert no more urgent than the incident', async () => {
		const { householdId, id } = await incidentOf('fall', 'critical', 30);
		await raise(alert(householdId, 'inactivity', 'high'));
		expect(await clockOf(id)).toEqual({ slaKind: 'ack', dueInS: 30 });
	});
});

describe('the on-scene deadline', () => {
	it('counts from when the incident turned critical, not from when it opened', async () => {
		const { householdId, id } = await incidentOf('water_leak', 'medium', 7200);
		await raise(alert(householdId, 'fall', 'critical'));
		await act(id, 'acknowledge');
		const [row] = await sql`
			select sla_kind, extract(epoch from sla_due_at - critical_since)::int as from_critical_s
			from incidents where id = ${id}`;
		expect(row).toEqual({ slaKind: 'on_scene', fromCriticalS: 900 });
	});

	it('counts from when a more urgent alert reopened it, not from when it opened', async () => {
		const { householdId, id } = await incidentOf('water_leak', 'medium', 7200);
		await act(id, 'acknowledge');
		const { incident } = await raise(alert(householdId, 'inactivity', 'high'));
		expect(incident.state).toBe('new');
		await act(id, 'acknowledge');
		const [row] = await sql`
			select sla_kind, extract(epoch from sla_due_at - reopened_at)::int as from_reopened_s
			from incidents where id = ${id}`;
		// High: 30 minutes on scene.
		expect(row).toEqual({ slaKind: 'on_scene', fromReopenedS: 1800 });
	});

	it('counts from when it opened when nothing more urgent came', async () => {
		const { id } = await incidentOf('fall', 'critical', 120);
		await act(id, 'acknowledge');
		const [row] = await sql`
			select extract(epoch from sla_due_at - opened_at)::int as from_opened_s from incidents where id = ${id}`;
		expect(row.fromOpenedS).toBe(900);
	});
});
