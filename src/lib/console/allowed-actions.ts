/**
 * Which commands the console offers for an incident, and why the others are greyed out. The
 * states come from the life cycle shared with the server (src/lib/alerts/incident-transitions.ts),
 * not a copy of it; the extra rules are the refusals the server gives as a RefusalDetail (a live
 * offer, no accepted responder, the top rung), so a greyed button and a refusal read the same.
 */
import {
	ANSWERED_STATES,
	isAllowedFrom,
	type IncidentAction,
	type IncidentState
} from '../alerts/incident-transitions';
import { ESCALATION_TIERS, type IncidentSummary, type ResponderProposal } from '../realtime/events';
import type { ActionBlock } from './refusals';

/** The socket: before its first connection, connected, or lost (commands would not arrive). */
export type Connection = 'connecting' | 'online' | 'offline';

export interface ConsoleState {
	connection: Connection;
	/** A command is waiting for its answer. */
	pending: boolean;
	/** The highest rung each severity climbs to (sla_targets.top_tier); absent: the ladder's last. */
	topTiers?: Partial<Record<IncidentSummary['severity'], number>>;
}

type Incident = Pick<
	IncidentSummary,
	'state' | 'severity' | 'escalationLevel' | 'responder' | 'districtCode'
>;

/** What blocks every command: the link, or a command still waiting for its answer. */
function consoleBlock({ connection, pending }: ConsoleState): ActionBlock | null {
	if (connection !== 'online') return { kind: connection };
	return pending ? { kind: 'pending' } : null;
}

/**
 * Why `action` cannot be sent for `incident` now, or null when it can. A live offer does not grey
 * out assigning: which dispatcher was first is the server's to decide, and its refusal names the
 * responder (already_assigned).
 * @example actionBlock(incident({ state: 'on_scene' }), 'escalate', { connection: 'online', pending: false })
 * // { kind: 'invalid_transition', action: 'escalate', state: 'on_scene' }
 */
export function actionBlock(
	incident: Incident,
	action: IncidentAction,
	state: ConsoleState
): ActionBlock | null {
	const blocked = consoleBlock(state);
	if (blocked) return blocked;
	if (!isAllowedFrom(incident.state, action) || (action === 'acknowledge' && isAnswered(incident.state)))
		return { kind: 'invalid_transition', action, state: incident.state };
	const topTier = state.topTiers?.[incident.severity] ?? ESCALATION_TIERS.length - 1;
	if (action === 'escalate' && incident.escalationLevel >= topTier) return { kind: 'top_rung' };
	// Departing and arriving are the accepted responder's steps, recorded for them.
	if ((action === 'depart' || action === 'arrive') && incident.responder?.assignment !== 'accepted')
		return { kind: 'no_accepted_responder' };
	return null;
}

const isAnswered = (state: string) => (ANSWERED_STATES as readonly string[]).includes(state as IncidentState);

/**
 * Why a proposed responder cannot be assigned the incident now, or null when they can: the
 * incident's own block first, then the responder's status, shift and district.
 */
export function proposalBlock(
	incident: Incident,
	proposal: Pick<ResponderProposal, 'responder'>,
	state: ConsoleState
): ActionBlock | null {
	const blocked = actionBlock(incident, 'assign', state);
	if (blocked) return blocked;
	const { responder } = proposal;
	if (responder.districtCode !== incident.districtCode)
		return { kind: 'responder_unavailable', responder: responder.name, status: 'other_district' };
	if (responder.status !== 'available')
		return { kind: 'responder_unavailable', responder: responder.name, status: responder.status };
	if (!responder.onShift)
		return { kind: 'responder_unavailable', responder: responder.name, status: 'off_shift' };
	return null;
}

/**
 * The index of the first proposal whose responder is free, on shift and of the district (the `S`
 * key's choice), or -1.
 */
export function firstAvailableProposal(
	incident: Pick<IncidentSummary, 'districtCode'>,
	proposals: readonly Pick<ResponderProposal, 'responder'>[]
): number {
	return proposals.findIndex(
		({ responder }) =>
			responder.status === 'available' &&
			responder.onShift &&
			responder.districtCode === incident.districtCode
	);
}
