/**
 * The arithmetic of a scenario's summary, kept pure so it can be tested without a platform: which
 * alerts the console was told about, how long each took, and how the platform's own counters compare
 * with what the devices sent. The runner (runner.ts) gathers the observations; this module judges them.
 *
 * Two independent checks of "sent but not stored":
 * - Alerts, one by one. Every alert the scenario caused (an alerting event, or a last will the broker
 *   publishes for a device that died) must show up on the console: the platform pushes the
 *   household's incident with `alertCount` raised by one per alert it attached. Per household, each
 *   increment is matched to the oldest alert not yet reported, in publish order (as
 *   tests/benchmarks/alert-latency.ts matches them); what is left over at the end was never stored.
 *   The incident keeps the platform's own times, not the devices', so which of a household's alerts
 *   went missing is told by order alone: the count missing is exact, the one named is the newest.
 *   Increments beyond what a household sent (supervision's lost-contact alerts, another publisher)
 *   are counted apart and never excuse a missing alert of another household.
 * - Every other message, in bulk. The platform's /metrics counters (`carecircle_ingest_stored_total`
 *   plus `_duplicates_total`) before and after the run must have grown by at least the number of
 *   messages the broker acknowledged and the platform should keep. The counters are platform-wide:
 *   another publisher during the run would hide a loss, never invent one.
 */

/** An alert the scenario caused, as the runner recorded it. */
export interface SentAlert {
	deviceId: string;
	householdExternalId: string;
	/** The event's type, or `device_offline` for a last will. */
	type: string;
	source: 'event' | 'last_will';
	/** Real time it was published (a last will: when the connection was cut). */
	sentAt: number;
	/** Simulated time it was planned for: what makes the sequence repeatable from the seed. */
	simAt: number;
	/** The event id; a last will has none. */
	eventId?: string;
}

/** One `incident:opened` or `incident:updated` push, as the scenario's console received it. */
export interface ObservedPush {
	incidentId: number;
	/** The household's external id, when it is one of the scenario's; null for anyone else's. */
	householdExternalId: string | null;
	opened: boolean;
	alertCount: number;
	receivedAt: number;
}

export interface AlertMatch {
	/** Each reported alert with the time from its publish to the push that reported it. */
	reported: { alert: SentAlert; latencyMs: number }[];
	/** Alerts sent and acknowledged that no push ever counted: sent but not stored. */
	missing: SentAlert[];
	/** Alerts the platform attached to the scenario's households that the scenario did not send. */
	otherAlerts: number;
	/** `incident:opened` pushes for the scenario's households. */
	opened: number;
}

/**
 * Matches the alerts sent to the pushes received.
 * @param baseline alertCount of each incident already open before the run (by incident id)
 * @example matchAlerts([sos sent at t], [push alertCount 1 at t + 40], new Map()).missing // []
 */
export function matchAlerts(
	sent: readonly SentAlert[],
	pushes: readonly ObservedPush[],
	baseline: ReadonlyMap<number, number>
): AlertMatch {
	const pending = new Map<string, SentAlert[]>();
	for (const alert of [...sent].sort((a, b) => a.sentAt - b.sentAt)) {
		const queue = pending.get(alert.householdExternalId) ?? [];
		queue.push(alert);
		pending.set(alert.householdExternalId, queue);
	}
	const counts = new Map(baseline);
	const result: AlertMatch = { reported: [], missing: [], otherAlerts: 0, opened: 0 };
	for (const push of [...pushes].sort((a, b) => a.receivedAt - b.receivedAt)) {
		if (push.householdExternalId === null) continue;
		if (push.opened) result.opened++;
		const before = counts.get(push.incidentId) ?? 0;
		// Pushes of one incident can only be reordered by several ingest nodes: never count one twice.
		const added = Math.max(0, push.alertCount - before);
		counts.set(push.incidentId, Math.max(before, push.alertCount));
		const queue = pending.get(push.householdExternalId) ?? [];
		for (let n = 0; n < added; n++) {
			// An increment before anything was sent is no alert of the scenario's.
			const alert = queue[0] && queue[0].sentAt <= push.receivedAt ? queue.shift() : undefined;
			if (!alert) {
				result.otherAlerts++;
				continue;
			}
			result.reported.push({ alert, latencyMs: push.receivedAt - alert.sentAt });
		}
	}
	for (const queue of pending.values()) result.missing.push(...queue);
	result.missing.sort((a, b) => a.sentAt - b.sentAt);
	return result;
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Sums each metric over its label sets (one series per ingest node) from the Prometheus text format.
 * @example parsePrometheus('a_total{node="x"} 2\na_total{node="y"} 3').get('a_total') // 5
 */
export function parsePrometheus(text: string): Map<string, number> {
	const totals = new Map<string, number>();
	for (const line of text.split('\n')) {
		const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line.trim());
		if (!match || line.startsWith('#')) continue;
		const value = Number(match[3]);
		if (Number.isFinite(value)) totals.set(match[1], (totals.get(match[1]) ?? 0) + value);
	}
	return totals;
}

/** What the platform should do with a message the scenario published. */
export type Expectation = 'stored' | 'dead_letter' | 'ignored';

export interface SentMessage {
	qos: 0 | 1;
	acknowledged: boolean;
	expect: Expectation;
}

export interface SummaryInput {
	scenario: string;
	seed: string;
	messages: readonly SentMessage[];
	/** Last wills the broker should have published and the platform stored (connections cut). */
	lastWills: number;
	alerts: readonly SentAlert[];
	pushes: readonly ObservedPush[];
	baseline: ReadonlyMap<number, number>;
	/** /metrics before and after (parsed); null when the platform does not serve them. */
	metricsBefore: ReadonlyMap<string, number> | null;
	metricsAfter: ReadonlyMap<string, number> | null;
	/** Per-scenario figures worth printing (e.g. devices killed). */
	notes?: Record<string, string | number>;
}

export interface ScenarioSummary {
	scenario: string;
	seed: string;
	messages: { sent: number; qos0: number; acknowledged: number; unacknowledged: number };
	stored: {
		/** Acknowledged messages the platform should keep, plus the last wills. */
		expected: number;
		/** Growth of the ingest counters (stored + duplicates); null without /metrics ingest counters. */
		counted: number | null;
		duplicates: number | null;
	};
	deadLetters: { expected: number; counted: number | null };
	alerts: {
		sent: number;
		reported: number;
		opened: number;
		other: number;
		latencyMs: { median: number; p99: number; max: number };
	};
	/** Sent and acknowledged, but not stored: alerts one by one, and other messages by the counters. */
	notStored: { alerts: SentAlert[]; byCounters: number | null; total: number };
	notes: Record<string, string | number>;
}

const delta = (input: SummaryInput, ...names: string[]): number | null => {
	const { metricsBefore: before, metricsAfter: after } = input;
	if (!before || !after || !names.every((name) => after.has(name))) return null;
	return names.reduce((sum, name) => sum + after.get(name)! - (before.get(name) ?? 0), 0);
};

export function summarise(input: SummaryInput): ScenarioSummary {
	const { messages } = input;
	const acknowledged = messages.filter((m) => m.acknowledged).length;
	const qos0 = messages.filter((m) => m.qos === 0).length;
	const expectedStored =
		messages.filter((m) => m.acknowledged && m.expect === 'stored').length + input.lastWills;
	// A QoS 0 message has no acknowledgement: counted when it was handed over.
	const expectedLetters = messages.filter(
		(m) => m.expect === 'dead_letter' && (m.acknowledged || m.qos === 0)
	).length;
	const counted = delta(input, 'carecircle_ingest_stored_total', 'carecircle_ingest_duplicates_total');
	const byCounters = counted === null ? null : Math.max(0, expectedStored - counted);

	const match = matchAlerts(input.alerts, input.pushes, input.baseline);
	const latencies = match.reported.map((r) => r.latencyMs).sort((a, b) => a - b);
	return {
		scenario: input.scenario,
		seed: input.seed,
		messages: {
			sent: messages.length,
			qos0,
			acknowledged,
			unacknowledged: messages.length - qos0 - acknowledged
		},
		stored: {
			expected: expectedStored,
			counted,
			duplicates: delta(input, 'carecircle_ingest_duplicates_total')
		},
		deadLetters: { expected: expectedLetters, counted: delta(input, 'carecircle_dead_letters') },
		alerts: {
			sent: input.alerts.length,
			reported: match.reported.length,
			opened: match.opened,
			other: match.otherAlerts,
			latencyMs: {
				median: percentile(latencies, 50),
				p99: percentile(latencies, 99),
				max: latencies.at(-1) ?? NaN
			}
		},
		// The alerts are messages too: whichever check sees more losses is the honest figure.
		notStored: {
			alerts: match.missing,
			byCounters,
			total: Math.max(match.missing.length, byCounters ?? 0)
		},
		notes: input.notes ?? {}
	};
}

const ms = (value: number) => (Number.isNaN(value) ? 'n/a' : `${Math.round(value)} ms`);
const orUnknown = (value: number | null) =>
	value === null ? 'unknown (no /metrics ingest counters)' : value;

/** The summary as the CLI prints it: one fact a line, the method named where it matters. */
export function formatSummary(s: ScenarioSummary): string {
	const lines = [
		`scenario ${s.scenario} (seed ${s.seed})`,
		...Object.entries(s.notes).map(([name, value]) => `  ${name}: ${value}`),
		`  messages sent:                 ${s.messages.sent}${s.messages.qos0 ? ` (${s.messages.qos0} at QoS 0)` : ''}`,
		`  acknowledged by the broker:    ${s.messages.acknowledged} (QoS 1 PUBACK)` +
			(s.messages.unacknowledged ? `; ${s.messages.unacknowledged} never acknowledged` : ''),
		`  stored (ingest counters):      ${orUnknown(s.stored.counted)} of ${s.stored.expected} expected` +
			(s.stored.duplicates ? ` (${s.stored.duplicates} redeliveries recognised)` : ''),
		`  dead-lettered:                 ${orUnknown(s.deadLetters.counted)} (${s.deadLetters.expected} expected)`,
		`  alerts sent / on the console:  ${s.alerts.sent} / ${s.alerts.reported}` +
			(s.alerts.other ? ` (+${s.alerts.other} the scenario did not send)` : ''),
		`  incidents opened:              ${s.alerts.opened}`,
		`  publish → socket.io push:      median ${ms(s.alerts.latencyMs.median)}, p99 ${ms(s.alerts.latencyMs.p99)}, max ${ms(s.alerts.latencyMs.max)}`,
		`  sent but not stored:           ${s.notStored.total}` +
			` (alerts checked one by one: ${s.notStored.alerts.length}; other messages by the counters: ${orUnknown(s.notStored.byCounters)})`
	];
	for (const alert of s.notStored.alerts.slice(0, 10))
		lines.push(
			`    not stored: ${alert.type} from ${alert.deviceId}${alert.eventId ? ` (${alert.eventId})` : ''}`
		);
	if (s.notStored.alerts.length > 10) lines.push(`    … and ${s.notStored.alerts.length - 10} more`);
	return lines.join('\n');
}
