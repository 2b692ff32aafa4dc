/**
 * The incident life cycle as a pure state machine:
 * new → acknowledged → assigned → en_route → on_scene → resolved | false_alarm. An SLA miss climbs
 * one rung of the territory's ladder each time while nobody has arrived: an incident nobody is
 * working on becomes escalated (to be acknowledged at the next rung); one with a responder offered
 * it or on the way keeps its state, so their progress is not lost. Closing needs an outcome code.
 */
export const INCIDENT_STATES = [
	'new',
	'acknowledged',
	'assigned',
	'en_route',
	'on_scene',
	'escalated',
	'resolved',
	'false_alarm'
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

import { OUTCOMES } from '../../alerts/outcomes';

export const CLOSED_STATES: readonly IncidentState[] = ['resolved', 'false_alarm'];
/** States in which someone has already answered the incident (a second acknowledge is a conflict). */
export const ANSWERED_STATES: readonly IncidentState[] = ['acknowledged', 'assigned', 'en_route', 'on_scene'];

const TRANSITIONS = {
	acknowledge: { from: ['new', 'escalated'], to: 'acknowledged' },
	// From assigned too: after an offer was declined or timed out the incident waits for the next
	// responder (a live offer is refused as a conflict by dispatch, not here).
	assign: { from: ['new', 'acknowledged', 'assigned', 'escalated'], to: 'assigned' },
	depart: { from: ['assigned'], to: 'en_route' },
	arrive: { from: ['assigned', 'en_route'], to: 'on_scene' },
	escalate: { from: ['new', 'acknowledged', 'assigned', 'en_route', 'escalated'], to: 'escalated' },
	resolve: { from: ['new', 'acknowledged', 'assigned', 'en_route', 'on_scene', 'escalated'], to: 'resolved' },
	mark_false_alarm: {
		from: ['new', 'acknowledged', 'assigned', 'en_route', 'on_scene', 'escalated'],
		to: 'false_alarm'
	}
} as const satisfies Record<string, { from: readonly IncidentState[]; to: IncidentState }>;

export type IncidentAction = keyof typeof TRANSITIONS;
export const INCIDENT_ACTIONS = Object.keys(TRANSITIONS) as IncidentAction[];

export type Transition = { ok: true; to: IncidentState } | { ok: false; reason: string };

/**
 * Where `action` takes an incident in `state`, or why it cannot.
 * @example nextState('new', 'acknowledge') // { ok: true, to: 'acknowledged' }
 */
export function nextState(
	state: IncidentState,
	action: IncidentAction,
	outcome?: string | null,
	/** A responder holds a live offer or has accepted it (escalating leaves their progress alone). */
	responderOnIt = false
): Transition {
	const rule = TRANSITIONS[action];
	if (!(rule.from as readonly IncidentState[]).includes(state)) {
		return {
			ok: false,
			reason: `cannot ${action.replaceAll('_', ' ')} an incident that is ${state.replace('_', ' ')}`
		};
	}
	if (action === 'resolve' && !(OUTCOMES as readonly string[]).includes(outcome ?? '')) {
		return { ok: false, reason: `resolving needs an outcome: one of ${OUTCOMES.join(', ')}` };
	}
	// Closed as a false alarm, whichever way it was closed: the state says so as the outcome does.
	if (action === 'resolve' && outcome === 'false_alarm') return { ok: true, to: 'false_alarm' };
	// A responder already assigned or on the way keeps going when the incident escalates around them.
	if (action === 'escalate' && responderOnIt && KEEPS_STATE_ON_ESCALATION.includes(state))
		return { ok: true, to: state };
	return { ok: true, to: rule.to };
}

/** States in which escalating calls the next rung but leaves the responder's progress as it is. */
export const KEEPS_STATE_ON_ESCALATION: readonly IncidentState[] = ['assigned', 'en_route'];
