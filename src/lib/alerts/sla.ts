/**
 * Answer-time targets shown on consoles: acknowledge a critical alert within 60 s (the alarm-centre
 * practice of EN 50134-7 / SCAIP services), the others within the minutes below.
 */
import type { IncidentSummary } from '../realtime/events';

export const ACK_TARGET_S: Record<IncidentSummary['severity'], number> = {
	critical: 60,
	high: 180,
	medium: 600,
	low: 1800
};

const SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1 } as const;

/** Seconds left to acknowledge (negative when overdue), or null once acknowledged. */
export function ackSecondsLeft(incident: IncidentSummary, now: number): number | null {
	if (incident.state !== 'new' && incident.state !== 'escalated') return null;
	return Math.round(ACK_TARGET_S[incident.severity] - (now - Date.parse(incident.openedAt)) / 1000);
}

/** Queue order: most severe first, then oldest first. */
export function byUrgency(a: IncidentSummary, b: IncidentSummary): number {
	return (
		SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || Date.parse(a.openedAt) - Date.parse(b.openedAt)
	);
}

/** m:ss, with a minus sign when overdue. */
export function formatCountdown(seconds: number): string {
	const abs = Math.abs(seconds);
	return `${seconds < 0 ? '−' : ''}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
}
