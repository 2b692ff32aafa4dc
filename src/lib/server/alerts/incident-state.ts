/**
 * The incident life cycle as a pure state machine, over the transition table the consoles share
 * (src/lib/alerts/incident-transitions.ts): an SLA miss climbs one rung of the territory's ladder
 * each time while nobody has arrived, up to the severity's top rung; an incident nobody is working on
 * becomes escalated (to be acknowledged at the next rung); one with a responder offered it or on the
 * way keeps its state, so their progress is not lost. Only a responder who accepted can be on the way
 * or on scene. Closing needs a known outcome code. A refusal says why, as data (RefusalDetail).
 */
import { OUTCOMES } from '../../alerts/outcomes';
import { ESCALATION_TIERS, type RefusalDetail } from '../../realtime/events';
import {
	KEEPS_STATE_ON_ESCALATION,
	TRANSITIONS,
	isAllowedFrom,
	type IncidentAction,
	type IncidentState
} from '../../alerts/incident-transitions';

export {
	ANSWERED_STATES,
	CLOSED_STATES,
	INCIDENT_ACTIONS,
	INCIDENT_STATES,
	KEEPS_STATE_ON_ESCALATION,
	type IncidentAction,
	type IncidentState
} from '../../alerts/incident-transitions';

/** The refusals the state machine decides on its own (the others need the database). */
export type StateRefusal = Extract<
	RefusalDetail,
	{ kind: 'invalid_transition' | 'needs_outcome' | 'no_accepted_responder' | 'top_rung' }
>;

export type Transition =
	{ ok: true; to: IncidentState } | { ok: false; reason: string; detail: StateRefusal };

/** What the state machine needs to know about an incident besides its state. */
export interface IncidentFacts {
	/** The outcome code given with the action (closing only). */
	outcome?: string | null;
	/** A responder holds a live offer or has accepted it (escalating leaves their progress alone). */
	responderOnIt?: boolean;
	/** A responder has accepted it: only then can someone be on the way or on scene. */
	responderAccepted?: boolean;
	escalationLevel?: number;
	/** The highest rung the incident's severity climbs to (sla_targets.top_tier). */
	topTier?: number;
}

const isOutcome = (outcome: string | null | undefined): boolean =>
	(OUTCOMES as readonly string[]).includes(outcome ?? '');

/**
 * Where `action` takes an incident in `state`, or why it cannot.
 * @example nextState('new', 'acknowledge') // { ok: true, to: 'acknowledged' }
 * @example nextState('on_scene', 'resolve').ok // false: needs_outcome
 */
export function nextState(
	state: IncidentState,
	action: IncidentAction,
	facts: IncidentFacts = {}
): Transition {
	const { outcome, responderOnIt = false, responderAccepted = false, escalationLevel = 0 } = facts;
	const topTier = facts.topTier ?? ESCALATION_TIERS.length - 1;
	if (!isAllowedFrom(state, action)) {
		return {
			ok: false,
			reason: `cannot ${action.replaceAll('_', ' ')} an incident that is ${state.replace('_', ' ')}`,
			detail: { kind: 'invalid_transition', action, state }
		};
	}
	if (action === 'resolve' && !isOutcome(outcome)) {
		return {
			ok: false,
			reason: `resolving needs an outcome: one of ${OUTCOMES.join(', ')}`,
			detail: { kind: 'needs_outcome' }
		};
	}
	// A false alarm may be marked without an outcome, but not closed with another one.
	if (action === 'mark_false_alarm' && outcome != null && outcome !== 'false_alarm') {
		return {
			ok: false,
			reason: `a false alarm closes with the outcome false_alarm, not ${outcome}`,
			detail: { kind: 'needs_outcome' }
		};
	}
	if ((action === 'depart' || action === 'arrive') && !responderAccepted) {
		return {
			ok: false,
			reason: `nobody has accepted the incident yet: a responder must accept it before going or arriving`,
			detail: { kind: 'no_accepted_responder' }
		};
	}
	if (action === 'escalate' && escalationLevel >= topTier) {
		return {
			ok: false,
			reason: `the incident is on the last rung its severity climbs to (${ESCALATION_TIERS[topTier]})`,
			detail: { kind: 'top_rung' }
		};
	}
	// Closed as a false alarm, whichever way it was closed: the state says so as the outcome does.
	if (action === 'resolve' && outcome === 'false_alarm') return { ok: true, to: 'false_alarm' };
	// A responder already assigned or on the way keeps going when the incident escalates around them.
	if (action === 'escalate' && responderOnIt && KEEPS_STATE_ON_ESCALATION.includes(state))
		return { ok: true, to: state };
	return { ok: true, to: TRANSITIONS[action].to };
}
