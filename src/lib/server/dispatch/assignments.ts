/**
 * Assignment: an incident is offered to one responder at a time, who must accept within the offer
 * window or is skipped for the next nearest. Each step is one transaction with the incident row
 * locked, and the partial unique indexes on incident_assignments (one live offer per incident, one
 * per responder) make a second dispatcher's assignment a clear conflict whatever the timing.
 */
import type { ResponderProposal, ResponderSummary } from '../../realtime/events';
import {
	IncidentActionError,
	transitionIncident,
	incidentSummary,
	type IncidentChangeResult
} from '../alerts/incidents';
import type { Sql } from '../db/client';
import { RESPONDER_COLUMNS, toResponder } from './responders';

const UNIQUE_VIOLATION = '23505';

/** Who already holds the incident, for a conflict message a dispatcher can act on. */
async function liveAssignment(tx: Sql, incidentId: number) {
	const [row] = await tx<{ name: string; assignedBy: string; state: string }[]>`
		select r.name, a.assigned_by, a.state from incident_assignments a join responders r on r.id = a.responder_id
		where a.incident_id = ${incidentId} and a.state in ('offered', 'accepted')`;
	return row ?? null;
}

/**
 * Offers the incident to a responder (the dispatcher's choice, or the next in line). Refused with
 * CONFLICT when the incident already has a live offer, UNAVAILABLE when the responder is not free.
 */
export async function assignResponder(
	sql: Sql,
	command: {
		incidentId: number;
		responderId: number;
		actor: string;
		acceptWithinS: number;
		/** How far the responder is, when the proposal knew it. */
		walk?: Pick<ResponderProposal, 'seconds' | 'method'> | null;
	}
): Promise<IncidentChangeResult> {
	try {
		return await sql.begin(async (begun) => {
			const tx = begun as unknown as Sql;
			await tx`select id from incidents where id = ${command.incidentId} for update`;
			const holder = await liveAssignment(tx, command.incidentId);
			if (holder) {
				throw new IncidentActionError(
					'CONFLICT',
					`incident ${command.incidentId} is already ${holder.state === 'offered' ? 'offered' : 'assigned'} to ${holder.name} (by ${holder.assignedBy})`
				);
			}
			const [responder] = await tx<{ name: string; status: string }[]>`
				select name, status from responders where id = ${command.responderId} for update`;
			if (!responder)
				throw new IncidentActionError('NOT_FOUND', `responder ${command.responderId} does not exist`);
			if (responder.status !== 'available') {
				throw new IncidentActionError(
					'UNAVAILABLE',
					`${responder.name} is ${responder.status}, not available`
				);
			}
			await tx`
				insert into incident_assignments (incident_id, responder_id, assigned_by, accept_by, walking_seconds, method)
				values (${command.incidentId}, ${command.responderId}, ${command.actor},
					now() + make_interval(secs => ${command.acceptWithinS}), ${command.walk?.seconds ?? null},
					${command.walk?.method ?? null})`;
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
			return { incident: change.incident, responders: [toResponder(busy)] };
		});
	} catch (error) {
		if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
			throw new IncidentActionError(
				'CONFLICT',
				`incident ${command.incidentId} was assigned by someone else just now`
			);
		}
		throw error;
	}
}

/** A responder's answer to an offer. Declining frees them; the caller then asks the next in line. */
export async function answerOffer(
	sql: Sql,
	answer: { incidentId: number; responderId: number; accept: boolean; actor: string }
): Promise<IncidentChangeResult> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
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
	});
}

async function freeResponders(tx: Sql, ids: number[]): Promise<ResponderSummary[]> {
	const rows = await tx`
		update responders set status = 'available', updated_at = now()
		where id = any(${tx.array(ids)}::int8[]) and status = 'busy'
		returning ${tx.unsafe(RESPONDER_COLUMNS)}`;
	return rows.map((row) => toResponder(row));
}

/**
 * Offers nobody accepted in time: each is marked timed out and its responder freed. Claimed with
 * SKIP LOCKED so that several timer processes skip each offer once. Returns the incidents that now
 * need the next responder, with the freed responders.
 */
export async function expireOffers(
	sql: Sql
): Promise<{ incidentIds: number[]; responders: ResponderSummary[] }> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const expired = await tx<{ incidentId: string; responderId: string }[]>`
			with due as (
				select id from incident_assignments where state = 'offered' and accept_by < now()
				order by accept_by limit 200 for update skip locked
			)
			update incident_assignments a set state = 'timed_out', answered_at = now()
			from due where a.id = due.id
			returning a.incident_id, a.responder_id`;
		for (const row of expired) {
			await tx`
				insert into incident_events (incident_id, actor, action, detail)
				values (${row.incidentId}, 'dispatch-timer', 'offer_timed_out', ${tx.json({ responderId: Number(row.responderId) })})`;
		}
		const responders = await freeResponders(
			tx,
			expired.map((row) => Number(row.responderId))
		);
		return { incidentIds: [...new Set(expired.map((row) => Number(row.incidentId)))], responders };
	});
}

/** Responders already asked for this incident (whatever they answered), so nobody is asked twice. */
export async function respondersAsked(sql: Sql, incidentId: number): Promise<Set<number>> {
	const rows = await sql<{ responderId: string }[]>`
		select distinct responder_id from incident_assignments where incident_id = ${incidentId}`;
	return new Set(rows.map((row) => Number(row.responderId)));
}
