/**
 * Refusals as data on the run's database: each refusal of an incident action carries the
 * RefusalDetail a console words it with; a severity's top rung stops manual and timer escalation;
 * nobody goes or arrives before a responder accepted; outcomes are the known codes, in the state
 * machine and in the database; the timeline cannot be changed or removed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOMES } from '../../src/lib/alerts/outcomes';
import type { RefusalDetail } from '../../src/lib/realtime/events';
import {
	IncidentActionError,
	actOnIncident,
	type IncidentChangeResult
} from '../../src/lib/server/alerts/incidents';
import type { Severity } from '../../src/lib/server/alerts/alert-kinds';
import type { Sql } from '../../src/lib/server/db/client';
import { readMigrations } from '../../src/lib/server/db/migrate';
import { assignResponder } from '../../src/lib/server/dispatch/assignments';
import { reportProgress, skipUnacceptedOffers } from '../../src/lib/server/dispatch/dispatch';
import { saveResponder } from '../../src/lib/server/dispatch/responders';
import { raiseTestAlert, saveTestHousehold, TEST_DISTRICT, TEST_HOME, testAlert } from '../support/alerts';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
const DISTRICT = TEST_DISTRICT;
const HOME = TEST_HOME;
let sql: Sql;
let households = 0;

async function openIncident(kind: 'fall' | 'low_battery' = 'fall', severity: Severity = 'critical') {
	const householdId = await saveTestHousehold(sql, `T-RF-${++households}-${run}`);
	const { incident } = await raiseTestAlert(sql, testAlert(householdId, kind, severity));
	return incident;
}

let responders = 0;
const newResponder = (name: string) =>
	saveResponder(sql, {
		externalId: `T-RF-R${++responders}-${run}`,
		districtCode: DISTRICT,
		name,
		role: 'grid_worker',
		location: HOME
	});

const inTransaction = <T>(step: (tx: Sql) => Promise<T>) =>
	sql.begin((tx) => step(tx as unknown as Sql)) as Promise<T>;

const offer = (incidentId: number, responderId: number, actor = 'dispatcher-a') =>
	inTransaction((tx) => assignResponder(tx, { incidentId, responderId, actor, acceptWithinS: 60 }));

/** The refusal an action ends in (fails the test if it went through). */
async function refusalOf(action: Promise<unknown>): Promise<IncidentActionError> {
	const error = await action.then(
		() => null,
		(error: unknown) => error
	);
	if (!(error instanceof IncidentActionError)) throw new Error(`expected a refusal, got ${String(error)}`);
	return error;
}

/**
 * A statement the database must refuse, in a transaction of its own: a failed statement outside
 * one leaves an embedded PGlite's shared session out of step.
 */
const refused = (statement: (tx: Sql) => Promise<unknown>) =>
	sql.begin((tx) => statement(tx as unknown as Sql));

const act = (incidentId: number, action: Parameters<typeof actOnIncident>[1]['action'], outcome?: string) =>
	actOnIncident(sql, { incidentId, action, actor: 'd', outcome });

const closeAll = (...changes: (IncidentChangeResult | { id: number })[]) =>
	Promise.all(
		changes.map((c) => act('incident' in c ? c.incident.id : c.id, 'mark_false_alarm').catch(() => undefined))
	);

beforeAll(async () => {
	sql = await prepareDatabase();
});

afterAll(async () => {
	await sql`update responders set status = 'off' where external_id like ${`T-RF-R%-${run}`}`;
	await sql?.end();
});

describe('each refusal says why, as data', () => {
	it('names who acknowledged first, and when', async () => {
		const incident = await openIncident();
		const first = await actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'd1' });
		const refusal = await refusalOf(
			actOnIncident(sql, { incidentId: incident.id, action: 'acknowledge', actor: 'd2' })
		);
		expect(refusal.code).toBe('CONFLICT');
		expect(refusal.detail).toEqual({
			kind: 'already_acknowledged',
			by: 'd1',
			at: first.incident.acknowledgedAt
		});
		await closeAll(incident);
	});

	it('names the responder holding the incident, how, and who assigned them', async () => {
		const incident = await openIncident();
		const [a, b] = [await newResponder('甲'), await newResponder('乙')];
		await offer(incident.id, a, 'dispatcher-a');
		const offered = await refusalOf(offer(incident.id, b, 'dispatcher-b'));
		expect(offered.code).toBe('CONFLICT');
		expect(offered.detail).toEqual<RefusalDetail>({
			kind: 'already_assigned',
			responder: '甲',
			state: 'offered',
			by: 'dispatcher-a'
		});
		await sql`update incident_assignments set state = 'accepted' where incident_id = ${incident.id}`;
		expect((await refusalOf(offer(incident.id, b))).detail).toMatchObject({ state: 'accepted' });
		await closeAll(incident);
	});

	it('names the action and the state for a transition the state does not allow', async () => {
		const incident = await openIncident();
		const refusal = await refusalOf(act(incident.id, 'arrive'));
		expect(refusal.code).toBe('INVALID_TRANSITION');
		expect(refusal.detail).toEqual({ kind: 'invalid_transition', action: 'arrive', state: 'new' });
		await closeAll(incident);
	});

	it('asks for a known outcome to close, and keeps a false alarm’s outcome its own', async () => {
		const incident = await openIncident();
		for (const outcome of [undefined, 'magic']) {
			const refusal = await refusalOf(act(incident.id, 'resolve', outcome));
			expect([refusal.code, refusal.detail]).toEqual(['INVALID_TRANSITION', { kind: 'needs_outcome' }]);
		}
		const contradiction = await refusalOf(act(incident.id, 'mark_false_alarm', 'home_visit'));
		expect(contradiction.detail).toEqual({ kind: 'needs_outcome' });
		const [open] = await sql`select state, outcome from incidents where id = ${incident.id}`;
		expect(open).toEqual({ state: 'new', outcome: null });
		await act(incident.id, 'mark_false_alarm');
		const [closed] = await sql`select state, outcome from incidents where id = ${incident.id}`;
		expect(closed).toEqual({ state: 'false_alarm', outcome: 'false_alarm' });
	});

	it('says a responder is busy, off, or working elsewhere', async () => {
		const incident = await openIncident();
		const busy = await newResponder('忙碌');
		const off = await newResponder('休息');
		await sql`update responders set status = 'busy' where id = ${busy}`;
		await sql`update responders set status = 'off' where id = ${off}`;
		const refusals = [await refusalOf(offer(incident.id, busy)), await refusalOf(offer(incident.id, off))];
		expect(refusals.map((r) => [r.code, r.detail])).toEqual([
			['UNAVAILABLE', { kind: 'responder_unavailable', responder: '忙碌', status: 'busy' }],
			['UNAVAILABLE', { kind: 'responder_unavailable', responder: '休息', status: 'off' }]
		]);
		await closeAll(incident);
	});

	it('says a responder marked available is still engaged on another incident', async () => {
		const [first, second] = [await openIncident(), await openIncident()];
		const responder = await newResponder('双岗');
		await offer(first.id, responder);
		// Set back to available by hand while the first offer is live.
		await sql`update responders set status = 'available' where id = ${responder}`;
		const refusal = await refusalOf(offer(second.id, responder));
		expect([refusal.code, refusal.detail]).toEqual([
			'UNAVAILABLE',
			{ kind: 'responder_engaged', responder: '双岗' }
		]);
		await closeAll(first, second);
	});
});

describe('going and arriving', () => {
	it('needs a responder who accepted, from the console and from the responder', async () => {
		const incident = await openIncident();
		const responder = await newResponder('未接受');
		await offer(incident.id, responder);
		for (const action of ['depart', 'arrive'] as const) {
			const console = await refusalOf(act(incident.id, action));
			expect([console.code, console.detail]).toEqual(['CONFLICT', { kind: 'no_accepted_responder' }]);
			const phone = await refusalOf(
				inTransaction((tx) =>
					reportProgress(tx, { incidentId: incident.id, responderId: responder, actor: 'r', action })
				)
			);
			expect([phone.code, phone.detail]).toEqual(['CONFLICT', { kind: 'no_accepted_responder' }]);
		}
		const [row] = await sql`select state from incidents where id = ${incident.id}`;
		expect(row.state).toBe('assigned');
		await sql`update incident_assignments set state = 'accepted' where incident_id = ${incident.id}`;
		expect((await act(incident.id, 'depart')).incident.state).toBe('en_route');
		await closeAll(incident);
	});
});

describe('the top rung', () => {
	it('stops a dispatcher’s escalation at the severity’s top rung, with no timer left there', async () => {
		// Low severity climbs to the community station (top_tier 1) and no further.
		const incident = await openIncident('low_battery', 'low');
		const escalated = await act(incident.id, 'escalate');
		expect(escalated.incident).toMatchObject({ escalationLevel: 1, state: 'escalated', sla: null });
		const refusal = await refusalOf(act(incident.id, 'escalate'));
		expect([refusal.code, refusal.detail]).toEqual(['INVALID_TRANSITION', { kind: 'top_rung' }]);
		const [row] =
			await sql`select escalation_level, sla_kind, sla_due_at from incidents where id = ${incident.id}`;
		expect(row).toEqual({ escalationLevel: 1, slaKind: null, slaDueAt: null });
		await closeAll(incident);
	});

	it('keeps a timer below the top rung', async () => {
		const incident = await openIncident();
		const escalated = await act(incident.id, 'escalate');
		expect(escalated.incident).toMatchObject({ escalationLevel: 1, sla: { kind: 'ack' } });
		await closeAll(incident);
	});

	it('lets the offer timer leave an incident on its top rung where it is when nobody is left to ask', async () => {
		const incident = await openIncident('low_battery', 'low');
		await act(incident.id, 'escalate');
		const responder = await newResponder('超时');
		// Only this responder may be asked, and they let the offer run out.
		await sql`update responders set status = 'off' where id <> ${responder} and status = 'available'`;
		await offer(incident.id, responder);
		await sql`update incident_assignments set accept_by = now() - interval '1 s' where incident_id = ${incident.id}`;
		const { failed } = await skipUnacceptedOffers(sql, 60);
		expect(failed.filter((f) => f.incidentId === incident.id)).toEqual([]);
		const [row] = await sql`select escalation_level, sla_kind from incidents where id = ${incident.id}`;
		expect(row).toEqual({ escalationLevel: 1, slaKind: null });
		const escalations = await sql`
			select actor from incident_events where incident_id = ${incident.id} and action = 'escalate'`;
		expect(escalations.map((e) => e.actor)).toEqual(['d']);
		await closeAll(incident);
	});
});

describe('what the database holds to', () => {
	it('accepts exactly the outcome codes the platform knows', async () => {
		const incident = await openIncident();
		await act(incident.id, 'resolve', 'home_visit');
		for (const outcome of OUTCOMES)
			await sql`update incidents set outcome = ${outcome} where id = ${incident.id}`;
		await expect(
			refused((tx) => tx`update incidents set outcome = 'magic' where id = ${incident.id}`)
		).rejects.toThrow(/incidents_outcome_known/);
		await expect(
			refused(
				(tx) =>
					tx`update incidents set state = 'false_alarm', outcome = 'home_visit' where id = ${incident.id}`
			)
		).rejects.toThrow(/incidents_false_alarm_outcome/);
	});

	it('refuses to change or remove a timeline entry, saying the timeline is append-only', async () => {
		const incident = await openIncident();
		const [entry] = await sql`select id from incident_events where incident_id = ${incident.id} limit 1`;
		await expect(
			refused((tx) => tx`update incident_events set actor = 'someone else' where id = ${entry.id}`)
		).rejects.toThrow(/incident_events is append-only: UPDATE/);
		await expect(refused((tx) => tx`delete from incident_events where id = ${entry.id}`)).rejects.toThrow(
			/incident_events is append-only: DELETE/
		);
		await expect(refused((tx) => tx`truncate incident_events`)).rejects.toThrow(
			/incident_events is append-only: TRUNCATE/
		);
		await closeAll(incident);
	});

	it('corrects old rows with an unknown outcome on migrating, on each one’s timeline', async () => {
		const migration = (await readMigrations()).find((m) => m.version === 24)!;
		const [falseAlarm, resolved] = [await openIncident(), await openIncident()];
		const rolledBack = new Error('rolled back on purpose');
		const corrected = await sql
			.begin(async (begun) => {
				const tx = begun as unknown as Sql;
				// The database as it was before the migration, with the rows older code could leave.
				await tx`alter table incidents drop constraint incidents_outcome_known,
					drop constraint incidents_false_alarm_outcome`;
				await tx`drop trigger incident_events_no_update on incident_events`;
				await tx`drop trigger incident_events_no_truncate on incident_events`;
				await tx`drop function incident_events_is_append_only()`;
				await tx`update incidents set state = 'false_alarm', outcome = 'oops', closed_at = now()
					where id = ${falseAlarm.id}`;
				await tx`update incidents set state = 'resolved', outcome = 'resolved', closed_at = now()
					where id = ${resolved.id}`;
				await tx.unsafe(migration.sql).simple();
				const rows = await tx`
					select i.id, i.outcome, e.actor, e.detail from incidents i
					join incident_events e on e.incident_id = i.id and e.action = 'outcome_corrected'
					where i.id in (${falseAlarm.id}, ${resolved.id}) order by i.id`;
				throw Object.assign(rolledBack, { rows });
			})
			.catch((error: unknown) => {
				if (error !== rolledBack) throw error;
				return (error as Error & { rows: unknown[] }).rows;
			});
		expect(corrected).toEqual([
			{
				id: String(falseAlarm.id),
				outcome: 'false_alarm',
				actor: 'platform',
				detail: { from: 'oops', to: 'false_alarm' }
			},
			{ id: String(resolved.id), outcome: null, actor: 'platform', detail: { from: 'resolved', to: null } }
		]);
		// Rolled back: the constraints and triggers are still there.
		await expect(
			refused((tx) => tx`update incidents set outcome = 'magic' where id = ${resolved.id}`)
		).rejects.toThrow(/incidents_outcome_known/);
		await closeAll(falseAlarm, resolved);
	});

	it('keeps the outcome list of the migration the same as the platform’s', async () => {
		const migration = (await readMigrations()).find((m) => m.version === 24)!;
		const check = /incidents_outcome_known check \(outcome is null or outcome in \(([^)]*)\)\)/.exec(
			migration.sql.replace(/\s+/g, ' ')
		);
		expect(check?.[1].split(',').map((code) => code.trim().replaceAll("'", ''))).toEqual([...OUTCOMES]);
	});
});
