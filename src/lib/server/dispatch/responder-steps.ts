/**
 * A responder working an incident, from their phone or with a dispatcher acting for them
 * (/api/responders/[id]/incidents/[incidentId]): answer the offer, then on the way, on scene,
 * resolved. Each step is one transaction with its audit row; a refused step is audited as refused.
 */
import { IncidentActionError, type IncidentChangeResult } from '../alerts/incidents';
import { recordRefusal, withAudit, type AuditEntry } from '../audit/audit-log';
import type { Sql } from '../db/client';
import { answerOffer } from './assignments';
import { offerToNextResponder, reportProgress } from './dispatch';

export type ResponderStep =
	| { action: 'accept' | 'decline' }
	| { action: 'depart' | 'arrive'; note?: string }
	| { action: 'resolve'; outcome: string; note?: string };

/**
 * Carries out the step; declining offers the incident to the next responder in the same
 * transaction, so it is never left assigned with nobody asked. Returns the step's change, then the
 * next offer's (or the escalation's) when there is one.
 */
export async function takeResponderStep(
	sql: Sql,
	command: {
		incidentId: number;
		responderId: number;
		/** Who is acting (src/lib/server/audit/actor.ts, responderActor). */
		actor: string;
		step: ResponderStep;
		acceptWithinS: number;
		/** The district the request is served for, for the audit row of a refused step. */
		districtCode: string;
	}
): Promise<IncidentChangeResult[]> {
	const { incidentId, responderId, actor, step } = command;
	const entry = (districtCode: string): AuditEntry => ({
		actor,
		action: 'incident.act',
		subjectType: 'incident',
		subjectId: incidentId,
		districtCode,
		detail: { action: step.action, responderId, outcome: 'outcome' in step ? step.outcome : null }
	});
	try {
		return await withAudit(
			sql,
			async (tx) => {
				switch (step.action) {
					case 'accept':
						return [await answerOffer(tx, { incidentId, responderId, accept: true, actor })];
					case 'decline':
						return [
							await answerOffer(tx, { incidentId, responderId, accept: false, actor }),
							...(await offerToNextResponder(tx, incidentId, command.acceptWithinS))
						];
					default:
						return [await reportProgress(tx, { incidentId, responderId, actor, ...step })];
				}
			},
			(changes) => {
				const done = entry(changes[0].incident.districtCode);
				return { ...done, detail: { ...done.detail, to: changes.at(-1)!.incident.state } };
			}
		);
	} catch (error) {
		if (error instanceof IncidentActionError) await recordRefusal(sql, entry(command.districtCode), error);
		throw error;
	}
}
