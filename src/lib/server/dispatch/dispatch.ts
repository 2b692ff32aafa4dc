/**
 * Dispatch on top of the assignment rules: proposals by walking time on the district's network, and
 * the timer's part — skipping responders who did not accept in time and asking the next in line,
 * escalating the incident when nobody is left to ask.
 */
import type { IncidentSummary, ResponderProposal, ResponderSummary } from '../../realtime/events';
import {
	IncidentActionError,
	incidentSummary,
	transitionIncident,
	type IncidentChangeResult
} from '../alerts/incidents';
import { skillsNeeded } from '../alerts/alert-kinds';
import type { Sql } from '../db/client';
import { activeWalkGraph } from '../routing/walk-graph-store';
import { RESPONDER_SPEED_MPS, walkingTimesFrom } from '../../routing/walk-graph';
import { assignResponder, expireOffersOf, incidentsAwaitingResponder, respondersAsked } from './assignments';
import { orStraightLine, rankResponders } from './proposals';
import { respondersOfDistrict } from './responders';

/** Far enough to rank anyone in a district; beyond it a responder gets the straight-line fallback. */
const SEARCH_LIMIT_S = 2 * 3600;
/** Incidents the timer handles per round; the rest wait for the next round. */
const ROUND_LIMIT = 200;

export async function proposeResponders(
	sql: Sql,
	incident: Pick<IncidentSummary, 'districtCode' | 'communityCode' | 'location' | 'kinds'>,
	options: { limit: number; exclude?: ReadonlySet<number> }
): Promise<ResponderProposal[]> {
	const [graph, responders] = await Promise.all([
		activeWalkGraph(sql, incident.districtCode),
		respondersOfDistrict(sql, incident.districtCode)
	]);
	const walkTo = walkingTimesFrom(graph, incident.location, {
		speedMps: RESPONDER_SPEED_MPS,
		limitSeconds: SEARCH_LIMIT_S
	});
	return rankResponders(
		orStraightLine(walkTo, incident.location, RESPONDER_SPEED_MPS),
		{ communityCode: incident.communityCode, skillsNeeded: skillsNeeded(incident.kinds) },
		responders,
		options
	);
}

/**
 * Offers the incident to the nearest responder not yet asked, inside the caller's transaction; when
 * every one has been asked (or none is free), escalates it so a person takes over, unless it is on
 * its severity's top rung already. Does nothing to a closed incident or one that already has a live
 * offer.
 */
export async function offerToNextResponder(
	tx: Sql,
	incidentId: number,
	acceptWithinS: number
): Promise<IncidentChangeResult[]> {
	const incident = await incidentSummary(tx, incidentId);
	if (['resolved', 'false_alarm', 'on_scene'].includes(incident.state) || incident.responder) return [];
	const asked = await respondersAsked(tx, incidentId);
	for (const proposal of await proposeResponders(tx, incident, { limit: 5, exclude: asked })) {
		try {
			return [
				await assignResponder(tx, {
					incidentId,
					responderId: proposal.responder.id,
					actor: 'dispatch-timer',
					acceptWithinS,
					walk: proposal
				})
			];
		} catch (error) {
			// Refused before it wrote anything: taken meanwhile by another incident, try the next one.
			if (!(error instanceof IncidentActionError) || error.code !== 'UNAVAILABLE') throw error;
		}
	}
	try {
		return [
			await transitionIncident(tx, {
				incidentId,
				action: 'escalate',
				actor: 'dispatch-timer',
				note: 'no responder accepted the incident'
			})
		];
	} catch (error) {
		// Already on its top rung: nobody is left above; it waits for a responder or a dispatcher.
		if (error instanceof IncidentActionError && error.detail?.kind === 'top_rung') return [];
		throw error;
	}
}

/**
 * The timer's round: each incident whose offer ran out, or that was left assigned with nobody
 * offered, gets one transaction in which the offer is marked timed out, its responder freed and
 * the next responder asked (or the incident escalated). A failure rolls that incident's step back
 * whole, so the next round tries it again; the other incidents go on. Incidents another timer
 * process is handling (locked) are skipped. Returns every incident that changed, the responders
 * freed, and the incidents that failed (for the caller's log).
 */
export async function skipUnacceptedOffers(
	sql: Sql,
	acceptWithinS: number
): Promise<{
	changes: IncidentChangeResult[];
	freed: ResponderSummary[];
	failed: { incidentId: number; error: unknown }[];
}> {
	const changes: IncidentChangeResult[] = [];
	const freed: ResponderSummary[] = [];
	const failed: { incidentId: number; error: unknown }[] = [];
	for (const incidentId of await incidentsAwaitingResponder(sql, ROUND_LIMIT)) {
		try {
			const step = await sql.begin(async (begun) => {
				const tx = begun as unknown as Sql;
				const [mine] = await tx`select id from incidents where id = ${incidentId} for update skip locked`;
				if (!mine) return null;
				const responders = await expireOffersOf(tx, incidentId);
				const next = await offerToNextResponder(tx, incidentId, acceptWithinS);
				if (!next.length && !responders.length) return null;
				return {
					responders,
					changes: next.length ? next : [{ incident: await incidentSummary(tx, incidentId), responders: [] }]
				};
			});
			if (step) {
				freed.push(...step.responders);
				changes.push(...step.changes);
			}
		} catch (error) {
			failed.push({ incidentId, error });
		}
	}
	return { changes, freed, failed };
}

/**
 * A responder's progress on the incident they accepted (on the way, on scene, resolved), inside
 * the caller's transaction. Only the responder holding the accepted assignment may report it.
 */
export async function reportProgress(
	tx: Sql,
	report: {
		incidentId: number;
		responderId: number;
		actor: string;
		action: 'depart' | 'arrive' | 'resolve';
		outcome?: string;
		note?: string;
	}
): Promise<IncidentChangeResult> {
	const [held] = await tx`
		select id from incident_assignments
		where incident_id = ${report.incidentId} and responder_id = ${report.responderId} and state = 'accepted'
		for update`;
	if (!held) {
		throw new IncidentActionError(
			'CONFLICT',
			`responder ${report.responderId} has not accepted incident ${report.incidentId}`,
			{ kind: 'no_accepted_responder' }
		);
	}
	return transitionIncident(tx, report);
}
