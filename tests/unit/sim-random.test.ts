import { describe, expect, it } from 'vitest';
import { Random, weightedPicker } from '../../simulators/random';

describe('the simulators’ seeded random numbers', () => {
	it('gives the same sequence for the same seed and another for another seed', () => {
		const draw = (seed: string | number) =>
			Array.from(
				{ length: 5 },
				(
					(rng) => () =>
						rng.next()
				)(new Random(seed))
			);
		expect(draw(42)).toEqual(draw('42'));
		expect(draw(42)).not.toEqual(draw(43));
	});

	it('forks streams that do not depend on how much the parent was used', () => {
		const a = new Random(7);
		const b = new Random(7);
		for (let i = 0; i < 100; i++) b.next();
		expect(a.fork('device/x').next()).toBe(b.fork('device/x').next());
		expect(a.fork('device/x').next()).not.toBe(a.fork('device/y').next());
	});

	it('draws numbers in [0, 1) with a mean near one half', () => {
		const rng = new Random('uniform');
		const values = Array.from({ length: 20_000 }, () => rng.next());
		expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...values)).toBeLessThan(1);
		expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
	});

	it('picks indexes in proportion to their weights and never a zero weight', () => {
		const pick = weightedPicker([1, 0, 3]);
		const rng = new Random('weights');
		const counts = [0, 0, 0];
		for (let i = 0; i < 8000; i++) counts[pick(rng)]++;
		expect(counts[1]).toBe(0);
		expect(counts[2] / counts[0]).toBeGreaterThan(2.6);
		expect(counts[2] / counts[0]).toBeLessThan(3.4);
	});

	it('refuses weights that are all zero', () => {
		expect(() => weightedPicker([0, 0])).toThrowError('weights must not all be zero');
	});
});
