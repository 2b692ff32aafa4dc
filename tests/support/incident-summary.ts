import type { IncidentSummary } from '../../src/lib/realtime/events';

/** A new, unanswered critical SOS incident in Siming, changed by `overrides`: for pure browser-side tests. */
export function incidentSummary(overrides: Partial<IncidentSummary> = {}): IncidentSummary {
	return {
		id: 1,
		householdId: 1,
		districtCode: '350203',
		communityCode: null,
		kind: 'sos',
		kinds: ['sos'],
		severity: 'critical',
		state: 'new',
		alertCount: 1,
		location: [118.087, 24.452],
		openedAt: '2026-11-29T06:00:00Z',
		lastAlertAt: '2026-11-29T06:00:00Z',
		acknowledgedAt: null,
		escalationLevel: 0,
		sla: null,
		responder: null,
		confidence: 'high',
		criticalSince: '2026-11-29T06:00:00Z',
		...overrides
	};
}
