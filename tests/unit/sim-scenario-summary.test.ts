import { describe, expect, it } from 'vitest';
import {
	formatSummary,
	matchAlerts,
	parsePrometheus,
	percentile,
	summarise,
	type ObservedPush,
	type SentAlert,
	type SummaryInput
} from '../../simulators/scenarios/summary';

const alert = (over: Partial<SentAlert> = {}): SentAlert => ({
	deviceId: 'H1-SOS',
	householdExternalId: 'H1',
	type: 'sos',
	source: 'event',
	sentAt: 1000,
	simAt: 0,
	eventId: 'e1',
	...over
});

const push = (over: Partial<ObservedPush> = {}): ObservedPush => ({
	incidentId: 7,
	householdExternalId: 'H1',
	opened: true,
	alertCount: 1,
	receivedAt: 1040,
	...over
});

const input = (over: Partial<SummaryInput> = {}): SummaryInput => ({
	scenario: 'test',
	seed: '1',
	messages: [],
	lastWills: 0,
	alerts: [],
	pushes: [],
	baseline: new Map(),
	metricsBefore: new Map([
		['carecircle_ingest_stored_total', 10],
		['carecircle_ingest_duplicates_total', 0],
		['carecircle_dead_letters', 3]
	]),
	metricsAfter: new Map([
		['carecircle_ingest_stored_total', 10],
		['carecircle_ingest_duplicates_total', 0],
		['carecircle_dead_letters', 3]
	]),
	...over
});

describe('matchAlerts', () => {
	it('reports an alert with the time from its publish to the push that counted it', () => {
		const match = matchAlerts([alert()], [push()], new Map());
		expect(match.missing).toEqual([]);
		expect(match.reported).toEqual([{ alert: alert(), latencyMs: 40 }]);
		expect(match.opened).toBe(1);
	});

	it('counts several alerts gathered into one push, each from its own publish', () => {
		const sent = [alert(), alert({ eventId: 'e2', sentAt: 1010 })];
		const match = matchAlerts(sent, [push({ alertCount: 2, receivedAt: 1050 })], new Map());
		const latencies = Object.fromEntries(match.reported.map((r) => [r.alert.eventId, r.latencyMs]));
		expect(latencies).toEqual({ e1: 50, e2: 40 });
	});

	it("counts a press that never arrived as missing, the household's newest by order", () => {
		const sent = [alert(), alert({ eventId: 'e2', sentAt: 1010 })];
		// One of the two was stored: the count rose once.
		const match = matchAlerts(sent, [push({ receivedAt: 1050 })], new Map());
		expect(match.missing.map((a) => a.eventId)).toEqual(['e2']);
		expect(match.reported.map((r) => r.alert.eventId)).toEqual(['e1']);
	});

	it('leaves an alert missing when the incident count never rose for it', () => {
		const sent = [alert(), alert({ eventId: 'e2', sentAt: 1010 })];
		// A later push of the same incident that is only a state change (count unchanged).
		const pushes = [push(), push({ opened: false, receivedAt: 1100 })];
		expect(matchAlerts(sent, pushes, new Map()).missing.map((a) => a.eventId)).toEqual(['e2']);
	});

	it('counts from the alert count an incident already had before the run', () => {
		const match = matchAlerts([alert()], [push({ opened: false, alertCount: 5 })], new Map([[7, 4]]));
		expect(match.reported).toHaveLength(1);
		expect(match.otherAlerts).toBe(0);
		expect(match.opened).toBe(0);
	});

	it('does not credit an alert to a push received before it was sent', () => {
		const match = matchAlerts([alert({ sentAt: 2000 })], [push({ receivedAt: 1500 })], new Map());
		expect(match.missing).toHaveLength(1);
		expect(match.otherAlerts).toBe(1);
	});

	it('credits a last will to an increment of its household', () => {
		const will = alert({ type: 'device_offline', source: 'last_will', eventId: undefined });
		const match = matchAlerts([will], [push({ receivedAt: 1300 })], new Map());
		expect(match.reported).toEqual([{ alert: will, latencyMs: 300 }]);
	});

	it('ignores pushes of households that are not the scenario’s', () => {
		const match = matchAlerts([], [push({ householdExternalId: null })], new Map());
		expect(match).toEqual({ reported: [], missing: [], otherAlerts: 0, opened: 0 });
	});

	it('never counts an increment twice when pushes of one incident arrive out of order', () => {
		const sent = [alert(), alert({ eventId: 'e2', sentAt: 1010 })];
		const pushes = [
			push({ alertCount: 2, receivedAt: 1050 }),
			push({ opened: false, alertCount: 1, receivedAt: 1060 })
		];
		const match = matchAlerts(sent, pushes, new Map());
		expect(match.reported).toHaveLength(2);
		expect(match.otherAlerts).toBe(0);
	});
});

describe('percentile', () => {
	it('takes the nearest rank', () => {
		const values = Array.from({ length: 100 }, (_, i) => i + 1);
		expect(percentile(values, 50)).toBe(50);
		expect(percentile(values, 99)).toBe(99);
		expect(percentile([7], 99)).toBe(7);
		expect(percentile([], 50)).toBeNaN();
	});
});

describe('parsePrometheus', () => {
	it('sums a metric over its label sets and skips comments', () => {
		const text = [
			'# HELP carecircle_ingest_stored_total Messages stored.',
			'# TYPE carecircle_ingest_stored_total counter',
			'carecircle_ingest_stored_total{node="a"} 2',
			'carecircle_ingest_stored_total{node="b"} 3',
			'carecircle_dead_letters 4',
			''
		].join('\n');
		const totals = parsePrometheus(text);
		expect(totals.get('carecircle_ingest_stored_total')).toBe(5);
		expect(totals.get('carecircle_dead_letters')).toBe(4);
		expect(totals.size).toBe(2);
	});
});

describe('summarise', () => {
	it('finds nothing lost when the counters grew by every acknowledged message and last will', () => {
		const after = new Map(input().metricsAfter!);
		after.set('carecircle_ingest_stored_total', 13);
		const summary = summarise(
			input({
				messages: [
					{ qos: 1, acknowledged: true, expect: 'stored' },
					{ qos: 1, acknowledged: true, expect: 'stored' },
					{ qos: 1, acknowledged: false, expect: 'stored' }
				],
				lastWills: 1,
				metricsAfter: after
			})
		);
		expect(summary.messages).toEqual({ sent: 3, qos0: 0, acknowledged: 2, unacknowledged: 1 });
		expect(summary.stored).toEqual({ expected: 3, counted: 3, duplicates: 0 });
		expect(summary.notStored).toEqual({ alerts: [], byCounters: 0, total: 0 });
	});

	it('reports acknowledged messages the counters never saw as not stored', () => {
		const summary = summarise(input({ messages: [{ qos: 1, acknowledged: true, expect: 'stored' }] }));
		expect(summary.notStored.byCounters).toBe(1);
		expect(summary.notStored.total).toBe(1);
	});

	it('counts dead letters expected from acknowledged and QoS 0 bad messages against the table’s growth', () => {
		const after = new Map(input().metricsAfter!);
		after.set('carecircle_dead_letters', 5);
		const summary = summarise(
			input({
				messages: [
					{ qos: 1, acknowledged: true, expect: 'dead_letter' },
					{ qos: 0, acknowledged: false, expect: 'dead_letter' },
					{ qos: 0, acknowledged: false, expect: 'ignored' }
				],
				metricsAfter: after
			})
		);
		expect(summary.deadLetters).toEqual({ expected: 2, counted: 2 });
		expect(summary.messages.unacknowledged).toBe(0);
		expect(summary.stored.expected).toBe(0);
	});

	it('takes the larger of the two losses and lists the missing alerts', () => {
		const summary = summarise(input({ alerts: [alert()], metricsBefore: null, metricsAfter: null }));
		expect(summary.stored.counted).toBeNull();
		expect(summary.notStored.total).toBe(1);
		const text = formatSummary(summary);
		expect(text).toContain('sent but not stored:           1');
		expect(text).toContain('not stored: sos from H1-SOS (e1)');
		expect(text).toContain('unknown (no /metrics ingest counters)');
	});

	it('gives the median and p99 of the alerts’ latencies', () => {
		const sent = Array.from({ length: 10 }, (_, i) =>
			alert({ householdExternalId: `H${i}`, eventId: `e${i}`, sentAt: 0 })
		);
		const pushes = sent.map((a, i) =>
			push({
				incidentId: i,
				householdExternalId: a.householdExternalId,
				receivedAt: (i + 1) * 10
			})
		);
		const summary = summarise(input({ alerts: sent, pushes }));
		expect(summary.alerts).toMatchObject({ sent: 10, reported: 10, opened: 10, other: 0 });
		expect(summary.alerts.latencyMs).toEqual({ median: 50, p99: 100, max: 100 });
	});
});
