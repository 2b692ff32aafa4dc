/**
 * Answer-time helpers for consoles: the queue order, the running SLA timer of an incident (the server
 * sets it: acknowledge, then a responder on scene) and the day's answer-time KPI against its targets.
 * Pure functions, so the queue and the KPI panel show exactly what the unit tests pin down.
 */
import type { IncidentSummary } from '../realtime/events';

/** The alarm-centre KPIs: share of critical alerts acknowledged within 60 s and within 180 s. */
export const ANSWER_TIME_TARGETS = [
	{ withinS: 60, share: 0.975 },
	{ withinS: 180, share: 0.99 }
] as const;

const SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1 } as const;

export interface SlaCountdown {
	kind: 'ack' | 'on_scene';
	/** Whole seconds until the deadline; negative once it has passed. */
	secondsLeft: number;
	overdue: boolean;
}

/**
 * The incident's running SLA timer at `now` (ms since the epoch), or null when nothing is due.
 * @example slaCountdown({ ...incident, sla: { kind: 'ack', dueAt: '2026-11-29T06:01:00Z' } }, Date.parse('2026-11-29T06:00:15Z'))
 * // { kind: 'ack', secondsLeft: 45, overdue: false }
 */
export function slaCountdown(incident: Pick<IncidentSummary, 'sla'>, now: number): SlaCountdown | null {
	if (!incident.sla) return null;
	// `|| 0` turns the -0 of the deadline's own second into 0.
	const secondsLeft = Math.ceil((Date.parse(incident.sla.dueAt) - now) / 1000) || 0;
	return { kind: incident.sla.kind, secondsLeft, overdue: secondsLeft < 0 };
}

/**
 * How long before its deadline a timer turns amber: a third of the shortest acknowledge target
 * (critical, 60 s) and of the shortest on-scene target (critical, 15 min), so every severity gets
 * the warning before it is late (targets in migrations/0011_dispatch.sql, table sla_targets).
 */
export const SLA_WARN_BEFORE_S = { ack: 20, on_scene: 300 } as const;

export type SlaTone = 'ok' | 'warn' | 'overdue';

/**
 * The colour of a countdown: ok, amber (`warn`) near the deadline, red (`overdue`) after it.
 * @example slaTone({ kind: 'ack', secondsLeft: 15, overdue: false }) // 'warn'
 */
export function slaTone(countdown: SlaCountdown): SlaTone {
	if (countdown.overdue) return 'overdue';
	return countdown.secondsLeft <= SLA_WARN_BEFORE_S[countdown.kind] ? 'warn' : 'ok';
}

/**
 * Whole seconds an open incident has waited since it opened, at `now` (ms); never negative (a
 * console clock a little behind the server's).
 * @example waitingSeconds({ openedAt: '2026-11-29T06:00:00Z' }, Date.parse('2026-11-29T06:02:05Z')) // 125
 */
export function waitingSeconds(incident: Pick<IncidentSummary, 'openedAt'>, now: number): number {
	return Math.max(0, Math.floor((now - Date.parse(incident.openedAt)) / 1000));
}

/** Waiting for a dispatcher: nobody has acknowledged it yet (an escalated incident counts too). */
export function isUnacknowledged(incident: Pick<IncidentSummary, 'state'>): boolean {
	return incident.state === 'new' || incident.state === 'escalated';
}

/** Queue order: most severe first, then oldest first. */
export function byUrgency(a: IncidentSummary, b: IncidentSummary): number {
	return (
		SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || Date.parse(a.openedAt) - Date.parse(b.openedAt)
	);
}

/** The worse of two severities (used to colour a cluster by its worst incident). */
export function worseSeverity(
	a: IncidentSummary['severity'],
	b: IncidentSummary['severity']
): IncidentSummary['severity'] {
	return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** m:ss, with a minus sign when overdue. */
export function formatCountdown(seconds: number): string {
	const abs = Math.abs(seconds);
	return `${seconds < 0 ? '−' : ''}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
}

/** Whether a KPI share misses its target; no alerts today (null) misses nothing. */
export function missesTarget(share: number | null, target: number): boolean {
	return share !== null && share < target;
}

/** A share 0…1 as a percentage with one decimal, e.g. 0.9753 → "97.5"; null → null. */
export function formatShare(share: number | null): string | null {
	// Rounded down (with a hair for binary fractions such as 0.57), so a miss never shows as the target.
	return share === null ? null : (Math.floor(share * 1000 + 1e-9) / 10).toFixed(1);
}
