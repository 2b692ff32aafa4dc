/**
 * The pure part of the stress scenario (stress.ts): from what was measured at each step of rising
 * load, whether ingest kept up, and where it first lagged. Kept apart so it can be tested without a
 * platform.
 *
 * A step lags when the platform stored (ingest counters) less than `keepUpShare` of what was offered,
 * when the backlog (offered but not yet handled) grew by more than that share allows, when the alerts
 * mixed in reached the console too slowly (p99 above `maxP99Ms`, an alert never pushed counting as
 * infinitely late), or when the publisher itself could not offer the rate asked for. The bottleneck
 * is the first stage of the pipeline that fell behind the one before it: publisher → broker acks →
 * ingest storage → push.
 */
import { percentile } from './summary';

/** What was measured over one step, as counts over its real length. */
export interface StepMeasurement {
	/** Events a second the step asked for. */
	targetRate: number;
	/** Real length of the step. */
	seconds: number;
	/** Messages handed to the devices' clients. */
	offered: number;
	/** QoS 1 acknowledgements the broker sent back. */
	acked: number;
	/** Growth of the ingest's `received` counter. */
	received: number;
	/** Growth of what ingest finished with: stored, duplicates and dead letters. */
	stored: number;
	/** Offered but not yet handled by ingest, at the start and at the end of the step. */
	backlogBefore: number;
	backlogAfter: number;
	/** Alerts mixed in during the step, and the publish → push time of those that were pushed. */
	alertsSent: number;
	latenciesMs: readonly number[];
}

export type Bottleneck = 'publisher' | 'broker acks' | 'ingest storage' | 'push';

export interface KneeLimits {
	/** Share of the offered rate each stage must keep up with (default 0.9). */
	keepUpShare: number;
	/** Highest acceptable p99 publish → push time (default 1000 ms). */
	maxP99Ms: number;
}

export const DEFAULT_LIMITS: KneeLimits = { keepUpShare: 0.9, maxP99Ms: 1000 };

export interface StepVerdict {
	targetRate: number;
	/** Per second. */
	offeredRate: number;
	ackedRate: number;
	receivedRate: number;
	storedRate: number;
	/** Share of the step's alerts the console was told about. */
	pushedShare: number;
	/** Over the alerts sent: one never pushed counts as infinitely late. NaN without alerts. */
	p50Ms: number;
	p99Ms: number;
	backlogGrowth: number;
	lags: boolean;
	/** Where it lagged first; null when it kept up. */
	bottleneck: Bottleneck | null;
	/** Every limit it broke, in words. */
	reasons: string[];
}

/**
 * Judges one step.
 * @example judgeStep({ targetRate: 100, seconds: 1, offered: 100, acked: 100, received: 100, stored: 100, backlogBefore: 0, backlogAfter: 0, alertsSent: 0, latenciesMs: [] }).lags // false
 */
export function judgeStep(step: StepMeasurement, limits: KneeLimits = DEFAULT_LIMITS): StepVerdict {
	const per = (n: number) => (step.seconds > 0 ? n / step.seconds : 0);
	const share = limits.keepUpShare;
	const latencies = [...step.latenciesMs].sort((a, b) => a - b);
	const padded = [...latencies, ...Array(Math.max(0, step.alertsSent - latencies.length)).fill(Infinity)];
	const verdict: StepVerdict = {
		targetRate: step.targetRate,
		offeredRate: per(step.offered),
		ackedRate: per(step.acked),
		receivedRate: per(step.received),
		storedRate: per(step.stored),
		pushedShare: step.alertsSent > 0 ? latencies.length / step.alertsSent : 1,
		p50Ms: percentile(padded, 50),
		p99Ms: percentile(padded, 99),
		backlogGrowth: step.backlogAfter - step.backlogBefore,
		lags: false,
		bottleneck: null,
		reasons: []
	};
	const found: Bottleneck[] = [];
	if (step.offered < share * step.targetRate * step.seconds) {
		found.push('publisher');
		verdict.reasons.push(
			`offered ${Math.round(verdict.offeredRate)}/s of the ${step.targetRate}/s asked for`
		);
	}
	if (step.acked < share * step.offered) {
		found.push('broker acks');
		verdict.reasons.push(`the broker acknowledged ${Math.round(verdict.ackedRate)}/s`);
	}
	const backlogGrew = verdict.backlogGrowth > (1 - share) * step.offered && verdict.backlogGrowth > 0;
	if (step.stored < share * step.offered || backlogGrew) {
		found.push('ingest storage');
		// Received behind acknowledged: messages wait at the broker for ingest to take them;
		// received but not stored: ingest has them and cannot commit them fast enough.
		const waiting = step.received < share * step.acked;
		verdict.reasons.push(
			`stored ${Math.round(verdict.storedRate)}/s` +
				(waiting
					? ` (received ${Math.round(verdict.receivedRate)}/s: the rest waits at the broker for ingest to take it)`
					: ` of ${Math.round(verdict.receivedRate)}/s received`) +
				(backlogGrew ? `, backlog grew by ${verdict.backlogGrowth}` : '')
		);
	}
	if (verdict.p99Ms > limits.maxP99Ms || verdict.pushedShare < share) {
		found.push('push');
		verdict.reasons.push(
			`p99 publish → push ${Number.isFinite(verdict.p99Ms) ? `${Math.round(verdict.p99Ms)} ms` : 'never'}` +
				` (${latencies.length} of ${step.alertsSent} alerts pushed)`
		);
	}
	// The publisher only counts as the bottleneck when nothing after it fell behind what it did offer.
	const downstream = found.filter((b) => b !== 'publisher');
	verdict.bottleneck = downstream[0] ?? found[0] ?? null;
	verdict.lags = found.length > 0;
	return verdict;
}

export interface Knee {
	verdicts: StepVerdict[];
	/** The last step before the first that lagged (null when the first already lagged). */
	keptUpTo: StepVerdict | null;
	/** The first step that lagged (null when every step kept up). */
	laggedAt: StepVerdict | null;
	/** One sentence: up to where ingest keeps up, and where it lags. */
	sentence: string;
}

const rate = (perSecond: number) => `${Math.round(perSecond)}/s`;
const events = (perSecond: number) => `${Math.round(perSecond)} events/s`;
const latency = (ms: number) =>
	Number.isNaN(ms) ? 'n/a' : Number.isFinite(ms) ? `${Math.round(ms)} ms` : 'not pushed';

/**
 * The knee of the load curve: the steps up to and including the first that lagged.
 * @example findKnee([keeps at 100/s, lags at 200/s]).sentence // "ingest keeps up to 100 events/s; at 200 events/s it lags: …"
 */
export function findKnee(steps: readonly StepMeasurement[], limits: KneeLimits = DEFAULT_LIMITS): Knee {
	const verdicts: StepVerdict[] = [];
	for (const step of steps) {
		const verdict = judgeStep(step, limits);
		verdicts.push(verdict);
		if (verdict.lags) break;
	}
	const laggedAt = verdicts.at(-1)?.lags ? verdicts.at(-1)! : null;
	const keptUpTo = (laggedAt ? verdicts.at(-2) : verdicts.at(-1)) ?? null;
	let sentence: string;
	if (verdicts.length === 0) sentence = 'no step was run';
	else if (!laggedAt)
		sentence = `ingest kept up with every step, up to ${events(keptUpTo!.offeredRate)} (the run ended before it lagged)`;
	else {
		const where =
			`at ${events(laggedAt.offeredRate)} it lags: stored ${rate(laggedAt.storedRate)}, ` +
			`p99 ${latency(laggedAt.p99Ms)}; the bottleneck is ${laggedAt.bottleneck} (${laggedAt.reasons.join('; ')})`;
		sentence = keptUpTo
			? `ingest keeps up to ${events(keptUpTo.offeredRate)}; ${where}`
			: `ingest lags from the first step: ${where}`;
	}
	return { verdicts, keptUpTo, laggedAt, sentence };
}

/** One line per step, as the summary prints it. */
export function formatStep(v: StepVerdict): string {
	return (
		`asked ${rate(v.targetRate)}: offered ${rate(v.offeredRate)}, acked ${rate(v.ackedRate)}, ` +
		`received ${rate(v.receivedRate)}, stored ${rate(v.storedRate)}, backlog ${v.backlogGrowth >= 0 ? '+' : ''}${v.backlogGrowth}, ` +
		`push p50 ${latency(v.p50Ms)} p99 ${latency(v.p99Ms)}${v.lags ? ` — lags (${v.bottleneck})` : ''}`
	);
}
