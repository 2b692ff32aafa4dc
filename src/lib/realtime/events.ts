/**
 * The one typed contract of socket.io messages, imported by the server, the browser and the simulators.
 * Commands are imperative (`alert:ack`), broadcasts are past tense (`alert:created`).
 */
export interface ServerHello {
	/** Which web node the client is attached to (several nodes can serve one district). */
	node: string;
	version: string;
	districtCode: string;
}

/** An incident as consoles see it (no personal data: that is fetched with the detail, audited). */
export interface IncidentSummary {
	id: number;
	householdId: number;
	districtCode: string;
	communityCode: string | null;
	kind: string;
	kinds: string[];
	severity: 'critical' | 'high' | 'medium' | 'low';
	state: string;
	alertCount: number;
	location: [number, number];
	openedAt: string;
	lastAlertAt: string;
}

export interface ServerToClientEvents {
	'server:hello': (hello: ServerHello) => void;
	/** A household's first alert opened a new incident. */
	'incident:opened': (incident: IncidentSummary) => void;
	/** An open incident changed: another alert attached, or a transition. */
	'incident:updated': (incident: IncidentSummary) => void;
}

export interface IncidentCommand {
	incidentId: number;
	/** acknowledge | assign | depart | arrive | escalate | resolve | mark_false_alarm */
	action: string;
	outcome?: string | null;
	note?: string | null;
}

/** Answer to a command: the updated incident, or a stable code with a message fit for the console. */
export type CommandResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export interface ClientToServerEvents {
	'incident:act': (
		command: IncidentCommand,
		answer: (result: CommandResult<IncidentSummary>) => void
	) => void;
}
