import { describe, expect, test } from 'vitest';
import { findKnee, judgeStep, type StepMeasurement } from '../../simulators/scenarios/knee';

/** A step of `seconds` at `rate` whose every stage kept up, with 8 alerts pushed in 20–40 ms. */
function keepsUp(rate: number, seconds = 4): StepMeasurement {
	const n = rate * seconds;
	return {
		targetRate: rate,
		seconds,
		offered: n,
		acked: n,
		received: n,
		stored: n,
		backlogBefore: 0,
		backlogAfter: 0,
		alertsSent: 8,
		latenciesMs: [20, 22, 25, 25, 28, 30, 35, 40]
	};
}

describe('judging one step of the stress scenario', () => {
	test('a step whose every stage kept up does not lag', () => {
		const verdict = judgeStep(keepsUp(400));
		expect(verdict).toMatchObject({ lags: false, bottleneck: null, offeredRate: 400, storedRate: 400 });
		expect(verdict.p99Ms).toBe(40);
	});

	test('names ingest storage when stored falls below 90 % of what the broker acknowledged', () => {
		const verdict = judgeStep({ ...keepsUp(800), received: 1400, stored: 1400, backlogAfter: 1800 });
		expect(verdict).toMatchObject({ lags: true, bottleneck: 'ingest storage', storedRate: 350 });
		expect(verdict.reasons.join()).toContain('waits at the broker');
	});

	test('names the broker when its acknowledgements fall behind what was offered', () => {
		const verdict = judgeStep({
			...keepsUp(800),
			acked: 2000,
			received: 2000,
			stored: 2000,
			backlogAfter: 1200
		});
		expect(verdict.bottleneck).toBe('broker acks');
	});

	test('names the push when everything is stored but the alerts reach the console late', () => {
		const verdict = judgeStep({ ...keepsUp(800), latenciesMs: [30, 40, 50, 60, 70, 80, 90, 1500] });
		expect(verdict).toMatchObject({ lags: true, bottleneck: 'push', p99Ms: 1500 });
	});

	test('counts an alert never pushed as infinitely late', () => {
		const verdict = judgeStep({ ...keepsUp(100), latenciesMs: [20, 22, 25, 25, 28, 30, 35] });
		expect(verdict).toMatchObject({ lags: true, bottleneck: 'push', p99Ms: Infinity });
	});

	test('lags on a growing backlog even when the step’s stored count looks right', () => {
		const verdict = judgeStep({ ...keepsUp(100), backlogBefore: 0, backlogAfter: 60 });
		expect(verdict).toMatchObject({ lags: true, bottleneck: 'ingest storage' });
	});

	test('blames the publisher only when it could not offer the rate and nothing after it fell behind', () => {
		const short = { ...keepsUp(1000), offered: 2000, acked: 2000, received: 2000, stored: 2000 };
		expect(judgeStep(short).bottleneck).toBe('publisher');
		expect(judgeStep({ ...short, stored: 1000, received: 1000 }).bottleneck).toBe('ingest storage');
	});
});

describe('finding the knee of the load curve', () => {
	test('reports the last step that kept up and the first that lagged, and ignores later steps', () => {
		const lagging = {
			...keepsUp(800),
			received: 1400,
			stored: 1400,
			backlogAfter: 1800,
			latenciesMs: [2000]
		};
		const knee = findKnee([keepsUp(100), keepsUp(200), keepsUp(400), lagging, keepsUp(1600)]);
		expect(knee.verdicts).toHaveLength(4);
		expect(knee.keptUpTo?.targetRate).toBe(400);
		expect(knee.laggedAt?.targetRate).toBe(800);
		expect(knee.sentence).toMatch(
			/^ingest keeps up to 400 events\/s; at 800 events\/s it lags: stored 350\/s, p99 not pushed; the bottleneck is ingest storage/
		);
	});

	test('says so when every step kept up', () => {
		const knee = findKnee([keepsUp(100), keepsUp(200)]);
		expect(knee.laggedAt).toBeNull();
		expect(knee.sentence).toBe(
			'ingest kept up with every step, up to 200 events/s (the run ended before it lagged)'
		);
	});

	test('says so when the first step already lagged', () => {
		const knee = findKnee([{ ...keepsUp(100), stored: 100, received: 100, backlogAfter: 300 }]);
		expect(knee.keptUpTo).toBeNull();
		expect(knee.sentence).toMatch(/^ingest lags from the first step: at 100 events\/s/);
	});
});
