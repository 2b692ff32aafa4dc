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
	/** When a dispatcher first acknowledged it (the answer-time KPI counts from openedAt to this). */
	acknowledgedAt: string | null;
	/** 0 = the grid worker's turn; each SLA miss moves one rung up the territory's ladder (ESCALATION_TIERS). */
	escalationLevel: number;
	/** The running SLA timer: acknowledge, or a responder on scene; null once nothing is due. */
	sla: { kind: 'ack' | 'on_scene'; dueAt: string } | null;
	/** The responder offered or working the incident, if any. */
	responder: { id: number; name: string; assignment: 'offered' | 'accepted' } | null;
	/**
	 * How sure the platform is that someone needs help: `high` when a person pressed SOS or
	 * independent signals agree (a fall, then no motion, with the door shut), `medium` for one
	 * sensor's alarm, `low` for technical alerts (battery, lost contact).
	 */
	confidence: IncidentConfidence;
	/** When it last became critical and unanswered (the answer-time KPI counts from here); null if never. */
	criticalSince: string | null;
}

export type IncidentConfidence = 'low' | 'medium' | 'high';

/** The unit an escalation rung calls for one household: its grid, station, street centre, duty desk. */
export interface EscalationContact {
	tier: EscalationTier;
	/** The unit's name (a facility, a grid worker) or null when the territory has none on record. */
	name: string | null;
	phone: string | null;
}

/** Who is called when an incident escalates, rung by rung (escalationLevel indexes this). */
export const ESCALATION_TIERS = [
	'grid_worker',
	'community_station',
	'street_centre',
	'district_duty_desk',
	'emergency_number'
] as const;
export type EscalationTier = (typeof ESCALATION_TIERS)[number];

export const RESPONDER_ROLES = [
	'grid_worker',
	'station_staff',
	'volunteer',
	'street_centre_staff',
	'duty_desk'
] as const;
export type ResponderRole = (typeof RESPONDER_ROLES)[number];
export type ResponderStatus = 'available' | 'busy' | 'off';

export interface ResponderSummary {
	id: number;
	districtCode: string;
	name: string;
	role: ResponderRole;
	communityCode: string | null;
	streetCode: string | null;
	skills: string[];
	status: ResponderStatus;
	/** Whether the time now (Asia/Shanghai) is within the responder's shift. */
	onShift: boolean;
	location: [number, number] | null;
	positionAt: string | null;
}

/** A responder proposed for an incident, nearest first by walking time. */
export interface ResponderProposal {
	responder: ResponderSummary;
	seconds: number;
	meters: number;
	/** 'network' = walked on the street network; 'straight_line' = a labelled fallback (no route found). */
	method: 'network' | 'straight_line';
	/** The responder's community or street is the incident's. */
	inTerritory: boolean;
	/** Skills the incident needs that the responder lacks (each ranks them further away). */
	missingSkills: string[];
}

export interface NearbyFacility {
	id: string;
	name: string;
	kind: string;
	seconds: number;
	method: 'network' | 'straight_line';
}

export interface TimelineEntry {
	at: string;
	actor: string;
	action: string;
	fromState: string | null;
	toState: string | null;
	detail: Record<string, unknown>;
}

/** Everything a dispatcher sees for one incident; reading it is written to the audit log. */
export interface IncidentDetail {
	incident: IncidentSummary;
	household: {
		id: number;
		externalId: string;
		residentName: string;
		phone: string | null;
		address: string | null;
		riskLevel: 'low' | 'medium' | 'high';
		consent: boolean;
		emergencyContacts: { name: string; phone: string; relation?: string }[];
		communityName: string | null;
		streetName: string | null;
		/** Names, phones and the address are masked for this reader's role (revealed on request, audited). */
		masked?: boolean;
	};
	devices: {
		id: string;
		kind: string;
		online: boolean;
		battery: number | null;
		lastSeen: string | null;
		firmware: string | null;
	}[];
	/** The household's latest device events, newest first. */
	deviceEvents: { deviceId: string; eventId: string; type: string; at: string }[];
	timeline: TimelineEntry[];
	proposals: ResponderProposal[];
	/** Facilities within a 15-minute walk of the home, nearest first. */
	facilities: NearbyFacility[];
	/** Who each rung of the escalation ladder calls for this household, grid worker first. */
	escalationLadder: EscalationContact[];
}

/** Today's answer times (Asia/Shanghai day): the alarm-centre KPIs are 97.5 % within 60 s and 99 % within 180 s. */
export interface AnswerTimeKpi {
	day: string;
	criticalAlerts: number;
	within60s: number;
	within180s: number;
	/**
	 * The shares' denominators: alerts answered, or waiting past the target. One still waiting but
	 * younger than the target can still make it and is not counted yet.
	 */
	decided60s: number;
	decided180s: number;
	/** Shares 0…1; null when there were no critical alerts today. */
	share60s: number | null;
	share180s: number | null;
	/** Critical incidents today not acknowledged within 60 s, newest first. */
	exceptions: { incidentId: number; openedAt: string; answerSeconds: number | null }[];
}

export interface ServerToClientEvents {
	'server:hello': (hello: ServerHello) => void;
	/** A household's first alert opened a new incident. */
	'incident:opened': (incident: IncidentSummary) => void;
	/** An open incident changed: another alert attached, or a transition. */
	'incident:updated': (incident: IncidentSummary) => void;
	/** A responder's status or position changed. */
	'responder:updated': (responder: ResponderSummary) => void;
}

export interface IncidentCommand {
	incidentId: number;
	/** acknowledge | assign | depart | arrive | escalate | resolve | mark_false_alarm */
	action: string;
	outcome?: string | null;
	note?: string | null;
}

/**
 * Why a command was refused, as data, so a console words it in its own language: who already
 * answered, which responder is busy, which state forbids the action.
 */
export type RefusalDetail =
	| { kind: 'already_acknowledged'; by: string; at: string }
	| { kind: 'already_assigned'; responder: string; state: 'offered' | 'accepted'; by: string | null }
	| { kind: 'invalid_transition'; action: string; state: string }
	| { kind: 'needs_outcome' }
	| {
			kind: 'responder_unavailable';
			responder: string;
			status: ResponderStatus | 'other_district' | 'off_shift';
	  }
	| { kind: 'responder_engaged'; responder: string }
	| { kind: 'no_accepted_responder' }
	| { kind: 'top_rung' };

/** Answer to a command: the updated incident, or a stable code with a message fit for the console. */
export type CommandResult<T> =
	{ ok: true; value: T } | { ok: false; code: string; message: string; detail?: RefusalDetail };

export interface AssignCommand {
	incidentId: number;
	responderId: number;
}

export interface ClientToServerEvents {
	'incident:act': (
		command: IncidentCommand,
		answer: (result: CommandResult<IncidentSummary>) => void
	) => void;
	/** Offers the incident to a responder; CONFLICT when someone else already assigned it. */
	'incident:assign': (
		command: AssignCommand,
		answer: (result: CommandResult<IncidentSummary>) => void
	) => void;
}
