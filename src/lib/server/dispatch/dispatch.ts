/**
 * Dispatch on top of the assignment rules: proposals by walking time on the district's network, and
 * the timer's part — skipping responders who did not accept in time and asking the next in line,
 * escalating the incident when nobody is left to ask.
 */
import type { IncidentSummary, ResponderProposal, ResponderSummary } from '../../realtime/events';
import {
	IncidentActionError,
	actOnIncident,
	incidentSummary,
	transitionIncident,
	type IncidentChangeResult
} from '../alerts/incidents';
import type { Sql } from '../db/client';
import { activeWalkGraph } from '../routing/walk-graph-store';
import { RESPONDER_SPEED_MPS, walkingTimesFrom } from '../../routing/walk-graph';
import { assignResponder, expireOffers, respondersAsked } from './assignments';
import { rankResponders } from './proposals';
import { respondersOfDistrict } from './responders';

/** Far enough to rank anyone in a district; beyond it a responder gets the straight-line fallback. */
const SEARCH_LIMIT_S = 2 * 3600;

export async function proposeResponders(
	sql: Sql,
	incident: Pick<IncidentSummary, 'districtCode' | 'communityCode' | 'location'>,
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
	return rankResponders(walkTo, incident, responders, options);
}

/**
 * Offers the incident to the nearest responder not yet asked; when every one has been asked (or
 * none is free), escalates it so a person takes over. Does nothing to a closed incident or one
 * that already has a live offer.
 */
export async function offerToNextResponder(
	sql: Sql,
	incidentId: number,
	acceptWithinS: number
): Promise<IncidentChangeResult[]> {
	const incident = await incidentSummary(sql, incidentId);
	if (['resolved', 'false_alarm', 'on_scene'].includes(incident.state) || incident.responder) return [];
	const asked = await respondersAsked(sql, incidentId);
	for (const proposal of await proposeResponders(sql, incident, { limit: 5, exclude: asked })) {
		try {
			return [
				await assignResponder(sql, {
					incidentId,
					responderId: proposal.responder.id,
					actor: 'dispatch-timer',
					acceptWithinS,
					walk: proposal
				})
			];
		} catch (error) {
			// Taken meanwhile by another dispatcher or incident: try the next one.
			if (!(error instanceof IncidentActionError) || error.code === 'NOT_FOUND') throw error;
			if (error.code === 'CONFLICT') return [];
		}
	}
	return [
		await actOnIncident(sql, {
			incidentId,
			action: 'escalate',
			actor: 'dispatch-timer',
			note: 'no responder accepted the incident'
		})
	];
}

/**
 * The timer's round: offers past their window are skipped and the next responder is asked. Returns
 * every incident that changed, and the responders freed by the skipped offers.
 */
export async function skipUnacceptedOffers(
	sql: Sql,
	acceptWithinS: number
): Promise<{ changes: IncidentChangeResult[]; freed: ResponderSummary[] }> {
	const { incidentIds, responders } = await expireOffers(sql);
	const changes: IncidentChangeResult[] = [];
	for (const id of incidentIds) {
		const next = await offerToNextResponder(sql, id, acceptWithinS);
		changes.push(...(next.length ? next : [{ incident: await incidentSummary(sql, id), responders: [] }]));
	}
	return { changes, freed: responders };
}

/**
 * A responder's progress on the incident they accepted: on the way, on scene, resolved. Only the
 * responder holding the accepted assignment may report it.
 */
export async function reportProgress(
	sql: Sql,
	report: {
		incidentId: number;
		responderId: number;
		actor: string;
		action: 'depart' | 'arrive' | 'resolve';
		outcome?: string;
		note?: string;
	}
): Promise<IncidentChangeResult> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const [held] = await tx`
			select id from incident_assignments
			where incident_id = ${report.incidentId} and responder_id = ${report.responderId} and state = 'accepted'
			for update`;
		if (!held) {
			throw new IncidentActionError(
				'CONFLICT',
				`responder ${report.responderId} has not accepted incident ${report.incidentId}`
			);
		}
		return transitionIncident(tx, report);
	});
}
