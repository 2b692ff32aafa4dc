/**
 * Which device reports are alerts, and how urgent each kind is by default. Door, motion and bed
 * events are context for an incident, not alerts of their own.
 */
import type { EventType } from '../../mqtt/contract';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_KINDS = [
	'sos',
	'fall',
	'smoke',
	'gas',
	'water_leak',
	'inactivity',
	'abnormal_vitals',
	'geofence_exit',
	'device_offline',
	'lost_contact',
	'low_battery'
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const DEFAULT_SEVERITY: Record<AlertKind, Severity> = {
	sos: 'critical',
	fall: 'critical',
	smoke: 'critical',
	gas: 'critical',
	water_leak: 'medium',
	inactivity: 'high',
	abnormal_vitals: 'high',
	geofence_exit: 'high',
	device_offline: 'medium',
	lost_contact: 'medium',
	low_battery: 'low'
};

const ALERT_OF_EVENT: Partial<Record<EventType, AlertKind>> = {
	sos: 'sos',
	fall: 'fall',
	smoke: 'smoke',
	gas: 'gas',
	water_leak: 'water_leak',
	no_motion: 'inactivity',
	abnormal_vitals: 'abnormal_vitals',
	geofence_exit: 'geofence_exit',
	low_battery: 'low_battery'
};

/** The alert an event raises, or null for context-only events (door, motion, test). */
export function alertOfEvent(type: EventType): { kind: AlertKind; severity: Severity } | null {
	const kind = ALERT_OF_EVENT[type];
	return kind ? { kind, severity: DEFAULT_SEVERITY[kind] } : null;
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** The more urgent of two severities. */
export function worstSeverity(a: Severity, b: Severity): Severity {
	return RANK[a] >= RANK[b] ? a : b;
}

/**
 * The skill a responder should bring to each kind of alert (responders.skills); the other kinds
 * need nobody in particular. Dispatch ranks a responder without it further away, not out.
 */
export const SKILLS_NEEDED: Partial<Record<AlertKind, readonly string[]>> = {
	sos: ['first_aid'],
	fall: ['first_aid'],
	inactivity: ['first_aid'],
	abnormal_vitals: ['nursing'],
	geofence_exit: ['escort']
};

/**
 * The skills an incident with these alert kinds needs, each once, in the order of the kinds.
 * @example skillsNeeded(['fall', 'abnormal_vitals', 'sos']) // ['first_aid', 'nursing']
 */
export function skillsNeeded(kinds: readonly string[]): string[] {
	return [...new Set(kinds.flatMap((kind) => SKILLS_NEEDED[kind as AlertKind] ?? []))];
}
