/**
 * Assignment: an incident is offered to one responder at a time, who must accept within the offer
 * window or is skipped for the next nearest. Every step runs inside the caller's transaction (with
 * its audit row, and for the timer with the next offer), with the incident row locked first; the
 * partial unique indexes on incident_assignments (one live offer per incident, one per responder)
 * stand behind the checks, so a second dispatcher's assignment is a clear conflict whatever the timing.
 */
import type { RefusalDetail, ResponderProposal, ResponderSummary } from '../../realtime/events';
import {
	IncidentActionError,
	transitionIncident,
	incidentSummary,
	type IncidentChangeResult
} from '../alerts/incidents';
import type { Sql } from '../db/client';
import { RESPONDER_COLUMNS, toResponder } from './responders';

/** Who already holds the incident, for a conflict message a dispatcher can act on. */
async function liveAssignment(tx: Sql, incidentId: number) {
	const [row] = await tx<{ name: string; assignedBy: string; state: 'offered' | 'accepted' }[]>`
		select r.name, a.assigned_by, a.state from incident_assignments a join responders r on r.id = a.responder_id
		where a.incident_id = ${incidentId} and a.state in ('offered', 'accepted')`;
	return row ?? null;
}

export interface AssignmentResult extends IncidentChangeResult {
	/** Nobody had answered the alert before this assignment: it answers it (the household is told). */
	firstAnswer: boolean;
}

/**
 * Offers the incident to a responder (the dispatcher's choice, or the next in line), inside the
 * caller's transaction. Refused with CONFLICT when the incident already has a live offer, and with
 * UNAVAILABLE when the responder is not free, works in another district, or is off shift.
 */
export async function assignResponder(
	tx: Sql,
	command: {
		incidentId: number;
		responderId: number;
		actor: string;
		acceptWithinS: number;
		/** How far the responder is, when the proposal knew it. */
		walk?: Pick<ResponderProposal, 'seconds' | 'method'> | null;
	}
): Promise<AssignmentResult> {
	const [incident] = await tx<{ districtCode: string; answered: boolean }[]>`
		select district_code, acknowledged_at is not null as answered from incidents
		where id = ${command.incidentId} for update`;
	if (!incident) throw new IncidentActionError('NOT_FOUND', `incident ${command.incidentId} does not exist`);
	const holder = await liveAssignment(tx, command.incidentId);
	if (holder) {
		throw new IncidentActionError(
			'CONFLICT',
			`incident ${command.incidentId} is already ${holder.state === 'offered' ? 'offered' : 'assigned'} to ${holder.name} (by ${holder.assignedBy})`,
			{ kind: 'already_assigned', responder: holder.name, state: holder.state, by: holder.assignedBy }
		);
	}
	const [row] = await tx`
		select ${tx.unsafe(RESPONDER_COLUMNS)} from responders where id = ${command.responderId} for update`;
	if (!row) throw new IncidentActionError('NOT_FOUND', `responder ${command.responderId} does not exist`);
	const responder = toResponder(row);
	const unavailable = whyUnavailable(responder, `${row.shiftStart}–${row.shiftEnd}`, incident.districtCode);
	if (unavailable) throw new IncidentActionError('UNAVAILABLE', unavailable.message, unavailable.detail);
	// The incident is locked and has no live offer, so a conflict here is the responder's own index.
	const [offer] = await tx`
		insert into incident_assignments (incident_id, responder_id, assigned_by, accept_by, walking_seconds, method)
		values (${command.incidentId}, ${command.responderId}, ${command.actor},
			now() + make_interval(secs => ${command.acceptWithinS}), ${command.walk?.seconds ?? null},
			${command.walk?.method ?? null})
		on conflict do nothing
		returning id`;
	if (!offer)
		throw new IncidentActionError('UNAVAILABLE', `${responder.name} already has another incident`, {
			kind: 'responder_engaged',
			responder: responder.name
		});
	const [busy] = await tx`
		update responders set status = 'busy', updated_at = now() where id = ${command.responderId}
		returning ${tx.unsafe(RESPONDER_COLUMNS)}`;
	const change = await transitionIncident(tx, {
		incidentId: command.incidentId,
		action: 'assign',
		actor: command.actor,
		detail: {
			responderId: command.responderId,
			responder: responder.name,
			walkingSeconds: command.walk?.seconds ?? null,
			method: command.walk?.method ?? null
		}
	});
	return { incident: change.incident, responders: [toResponder(busy)], firstAnswer: !incident.answered };
}

type Unavailable = { message: string; detail: Extract<RefusalDetail, { kind: 'responder_unavailable' }> };

/**
 * Why a responder cannot be sent to an incident of this district now, or null if they can.
 * @param shift the responder's shift as people read it, e.g. `08:00–20:00`
 */
export function whyUnavailable(
	responder: ResponderSummary,
	shift: string,
	districtCode: string
): Unavailable | null {
	const refusal = (status: Unavailable['detail']['status'], message: string): Unavailable => ({
		message,
		detail: { kind: 'responder_unavailable', responder: responder.name, status }
	});
	if (responder.status !== 'available')
		return refusal(responder.status, `${responder.name} is ${responder.status}, not available`);
	if (responder.districtCode !== districtCode)
		return refusal(
			'other_district',
			`${responder.name} works in district ${responder.districtCode}, not ${districtCode}`
		);
	if (!responder.onShift)
		return refusal('off_shift', `${responder.name} is off shift (shift ${shift} Asia/Shanghai)`);
	return null;
}

/**
 * A responder's answer to an offer, inside the caller's transaction. Declining frees them; the
 * caller then asks the next in line in the same transaction.
 */
export async function answerOffer(
	tx: Sql,
	answer: { incidentId: number; responderId: number; accept: boolean; actor: string }
): Promise<IncidentChangeResult> {
	await tx`select id from incidents where id = ${answer.incidentId} for update`;
	const [offer] = await tx<{ id: string }[]>`
		update incident_assignments set state = ${answer.accept ? 'accepted' : 'declined'}, answered_at = now()
		where incident_id = ${answer.incidentId} and responder_id = ${answer.responderId} and state = 'offered'
		returning id`;
	if (!offer) {
		throw new IncidentActionError(
			'CONFLICT',
			`responder ${answer.responderId} has no open offer for incident ${answer.incidentId} (it may have timed out)`
		);
	}
	const responders = answer.accept ? [] : await freeResponders(tx, [answer.responderId]);
	await tx`
		insert into incident_events (incident_id, actor, action, detail)
		values (${answer.incidentId}, ${answer.actor}, ${answer.accept ? 'offer_accepted' : 'offer_declined'},
			${tx.json({ responderId: answer.responderId })})`;
	return { incident: await incidentSummary(tx, answer.incidentId), responders };
}

async function freeResponders(tx: Sql, ids: number[]): Promise<ResponderSummary[]> {
	const rows = await tx`
		update responders set status = 'available', updated_at = now()
		where id = any(${tx.array(ids)}::int8[]) and status = 'busy'
		returning ${tx.unsafe(RESPONDER_COLUMNS)}`;
	return rows.map((row) => toResponder(row));
}

/**
 * The incident's offers nobody accepted in time, inside the caller's transaction (which holds the
 * incident's lock): each is marked timed out and its responder freed. Returns the freed responders.
 */
export async function expireOffersOf(tx: Sql, incidentId: number): Promise<ResponderSummary[]> {
	const expired = await tx<{ responderId: string }[]>`
		update incident_assignments set state = 'timed_out', answered_at = now()
		where incident_id = ${incidentId} and state = 'offered' and accept_by < now()
		returning responder_id`;
	for (const row of expired) {
		await tx`
			insert into incident_events (incident_id, actor, action, detail)
			values (${incidentId}, 'dispatch-timer', 'offer_timed_out', ${tx.json({ responderId: Number(row.responderId) })})`;
	}
	return expired.length
		? freeResponders(
				tx,
				expired.map((row) => Number(row.responderId))
			)
		: [];
}

/**
 * Incidents that need the next responder: an offer ran out, or the incident is left assigned with
 * nobody offered or working it (a step that failed halfway, before offers and the next responder
 * were written in one transaction). Oldest deadline first.
 */
export async function incidentsAwaitingResponder(sql: Sql, limit: number): Promise<number[]> {
	const rows = await sql<{ id: string }[]>`
		select id from (
			select incident_id as id, min(accept_by) as since from incident_assignments
			where state = 'offered' and accept_by < now() group by incident_id
			union all
			select i.id, i.updated_at from incidents i
			where i.state = 'assigned' and not exists (
				select 1 from incident_assignments a where a.incident_id = i.id and a.state in ('offered', 'accepted'))
		) due
		order by since limit ${limit}`;
	return rows.map((row) => Number(row.id));
}

/** Responders already asked for this incident (whatever they answered), so nobody is asked twice. */
export async function respondersAsked(sql: Sql, incidentId: number): Promise<Set<number>> {
	const rows = await sql<{ responderId: string }[]>`
		select distinct responder_id from incident_assignments where incident_id = ${incidentId}`;
	return new Set(rows.map((row) => Number(row.responderId)));
}
