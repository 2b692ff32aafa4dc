/**
 * The incident life cycle as pure data, shared by the server's state machine
 * (src/lib/server/alerts/incident-state.ts, which decides) and the dispatch console (which greys out
 * what would be refused): new → acknowledged → assigned → en_route → on_scene → resolved |
 * false_alarm, with escalation from any state nobody has arrived in. No server code here, so the
 * browser may import it.
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

export const CLOSED_STATES: readonly IncidentState[] = ['resolved', 'false_alarm'];
/** States in which someone has already answered the incident (a second acknowledge is a conflict). */
export const ANSWERED_STATES: readonly IncidentState[] = ['acknowledged', 'assigned', 'en_route', 'on_scene'];

/** Which states each action may start from, and the state it leads to. */
export const TRANSITIONS = {
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

/** States in which escalating calls the next rung but leaves the responder's progress as it is. */
export const KEEPS_STATE_ON_ESCALATION: readonly IncidentState[] = ['assigned', 'en_route'];

/**
 * Whether the table lets `action` start from `state` (only the table: the server also checks the
 * outcome of a resolve, a responder's live offer, and the top rung of the ladder).
 * @example isAllowedFrom('en_route', 'depart') // false
 */
export function isAllowedFrom(state: string, action: IncidentAction): boolean {
	return (TRANSITIONS[action].from as readonly string[]).includes(state);
}
