/**
 * When a console sounds its alarm: an incident becomes critical and unacknowledged where this
 * console had not seen it so — opened critical, raised to critical, or put back to `new` by a
 * critical alert after someone had acknowledged it. After a reconnect everything of that kind that
 * was missed rings once, not once per incident. The title bar counts the same incidents.
 */
import { isUnacknowledged } from '../alerts/sla';
import type { IncidentSummary } from '../realtime/events';

/** Critical and waiting for a dispatcher. */
export function isCriticalWaiting(incident: Pick<IncidentSummary, 'severity' | 'state'>): boolean {
	return incident.severity === 'critical' && isUnacknowledged(incident);
}

/**
 * Whether `after` holds an incident critical and waiting that `before` did not hold as such: the
 * console's list before a push (`after` = the pushed incident) or before a catch-up (`after` = the
 * caught-up list).
 * @example becameCriticalWaiting([{ id: 1, severity: 'critical', state: 'acknowledged' }],
 *   [{ id: 1, severity: 'critical', state: 'new' }]) // true: re-opened by a critical alert
 */
export function becameCriticalWaiting(
	before: readonly Pick<IncidentSummary, 'id' | 'severity' | 'state'>[],
	after: readonly Pick<IncidentSummary, 'id' | 'severity' | 'state'>[]
): boolean {
	const already = new Set(before.filter(isCriticalWaiting).map((incident) => incident.id));
	return after.some((incident) => isCriticalWaiting(incident) && !already.has(incident.id));
}
