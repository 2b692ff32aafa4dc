import { describe, expect, it } from 'vitest';
import { solveSitingGreedy } from '../../src/lib/planning/siting/greedy';
import {
	SitingInputError,
	type SitingModel,
	type SitingProblem
} from '../../src/lib/planning/siting/problem';
import {
	exhaustiveOptimum,
	randomSitingProblem,
	servedWeight,
	sitingProblemFromTimes
} from '../support/siting-exhaustive';

/** Within the 600 s circle, and beyond it but inside the 1,200 s matrix. */
const NEAR = 300;
const FAR = 900;
const X = Infinity;

/** The code of the SitingInputError that solving throws, or null. */
function inputErrorCode(problem: SitingProblem, model: SitingModel): string | null {
	try {
		solveSitingGreedy(problem, model);
		return null;
	} catch (error) {
		if (error instanceof SitingInputError) return error.code;
		throw error;
	}
}

/*
 * Four demand points a, b, c, d with 4, 4, 3 and 3 residents. Candidate 0 covers a and b (8
 * residents, the best single site); candidate 1 covers a and c; candidate 2 covers b and d. The best
 * pair is {1, 2} with all 14, which does not contain the best single site: picking sites one at a
 * time alone ends at {0, 1} with 11.
 */
const overlapping = () =>
	sitingProblemFromTimes(
		[
			[NEAR, NEAR, FAR, FAR],
			[NEAR, FAR, NEAR, X],
			[FAR, NEAR, X, NEAR]
		],
		{ weights: [4, 4, 3, 3], coverSeconds: 600, unreachedSeconds: 1200 }
	);

/*
 * Three demand points on a line at 0, 500 and 1,000 m (1 m/s), with 1, ½ and 1 residents, and a
 * candidate at each. The middle one is the best single median, but the best pair is the two ends.
 */
const line = () =>
	sitingProblemFromTimes(
		[
			[0, 500, 1000],
			[500, 0, 500],
			[1000, 500, 0]
		],
		{ weights: [1, 0.5, 1], coverSeconds: 600, unreachedSeconds: 5000 }
	);

describe('greedy maximal covering (MCLP)', () => {
	it('finds the best pair even when it leaves out the best single site', () => {
		const problem = overlapping();
		const model = { kind: 'mclp', p: 2 } as const;
		expect(exhaustiveOptimum(problem, { kind: 'mclp', p: 1 }).sites).toEqual([0]);
		const optimum = exhaustiveOptimum(problem, model);
		expect(optimum).toEqual({ objective: 14, sites: [1, 2] });
		const solution = solveSitingGreedy(problem, model);
		expect(solution.chosen).toEqual([1, 2]);
		expect(solution.objective).toBe(14);
		expect(solution.newlyCovered).toBe(14);
		expect(solution.coveredShare).toBe(1);
	});

	it('gives no credit for demand that open facilities already cover', () => {
		// Candidate 0 reaches 10 residents an open facility covers; candidate 1 reaches 3 nobody covers.
		const problem = sitingProblemFromTimes(
			[
				[NEAR, X],
				[X, NEAR]
			],
			{
				weights: [10, 3],
				coverSeconds: 600,
				unreachedSeconds: 1200,
				existingSeconds: [200, Infinity]
			}
		);
		const solution = solveSitingGreedy(problem, { kind: 'mclp', p: 1 });
		expect(solution.chosen).toEqual([1]);
		expect(solution.newlyCovered).toBe(3);
		expect(solution.coveredShare).toBe(1);
	});

	it('counts a pair as covering only within coverSeconds', () => {
		const problem = sitingProblemFromTimes(
			[
				[601, 601],
				[600, X]
			],
			{
				weights: [5, 5],
				coverSeconds: 600,
				unreachedSeconds: 1200
			}
		);
		const solution = solveSitingGreedy(problem, { kind: 'mclp', p: 1 });
		expect(solution.chosen).toEqual([1]);
		expect(solution.newlyCovered).toBe(5);
		expect(solution.coveredShare).toBe(0.5);
	});

	it('breaks ties by the lower candidate index', () => {
		const problem = sitingProblemFromTimes(
			[
				[X, X],
				[NEAR, NEAR],
				[NEAR, NEAR]
			],
			{
				weights: [1, 1],
				coverSeconds: 600,
				unreachedSeconds: 1200
			}
		);
		expect(solveSitingGreedy(problem, { kind: 'mclp', p: 1 }).chosen).toEqual([1]);
	});

	it('reports the mean walk and the other figures of its answer', () => {
		const solution = solveSitingGreedy(overlapping(), { kind: 'mclp', p: 2 });
		// a, b, c, d walk 300 s each to sites 1 and 2.
		expect(solution.meanSeconds).toBe(300);
		expect(solution).toMatchObject({ model: 'mclp', solver: 'greedy' });
		expect(solution.elapsedMs).toBeGreaterThanOrEqual(0);
		expect(solution.proven).toBeUndefined();
	});
});

describe('greedy capacitated maximal covering', () => {
	it('prefers the site that can serve more over the one that reaches more', () => {
		// Site 0 reaches 100 residents but seats 10; site 1 reaches 30 and seats 30.
		const problem = sitingProblemFromTimes(
			[
				[NEAR, X],
				[X, NEAR]
			],
			{
				weights: [100, 30],
				coverSeconds: 600,
				unreachedSeconds: 1200,
				capacities: [10, 30]
			}
		);
		const solution = solveSitingGreedy(problem, { kind: 'mclp', p: 1, capacitated: true });
		expect(solution.chosen).toEqual([1]);
		expect(solution.newlyCovered).toBe(30);
		expect(solution.coveredShare).toBeCloseTo(30 / 130, 12);
	});

	it('splits a demand point between sites and reassigns demand to make room', () => {
		/*
		 * Site 0 (6 seats) reaches a (4) and b (6); site 1 (6 seats) reaches only b. Opened alone,
		 * site 0 serves 6 of a and b; with site 1 too, all 10 are served only if site 0 gives b's
		 * residents to site 1 and serves a.
		 */
		const problem = sitingProblemFromTimes(
			[
				[NEAR, NEAR],
				[X, NEAR]
			],
			{
				weights: [4, 6],
				coverSeconds: 600,
				unreachedSeconds: 1200,
				capacities: [6, 6]
			}
		);
		const one = solveSitingGreedy(problem, { kind: 'mclp', p: 1, capacitated: true });
		expect(one.newlyCovered).toBe(6);
		const both = solveSitingGreedy(problem, { kind: 'mclp', p: 2, capacitated: true });
		expect(both.chosen).toEqual([0, 1]);
		expect(both.newlyCovered).toBe(10);
		expect(both.objective).toBe(servedWeight(problem, [0, 1]));
	});

	it('values its sites by the same maximum flow as an independent one', () => {
		for (let seed = 1; seed <= 10; seed++) {
			const problem = randomSitingProblem({
				seed,
				demand: 30,
				candidates: 10,
				sideMeters: 1500,
				coverSeconds: 400,
				limitSeconds: 800,
				existing: 1,
				capacity: [20, 80]
			});
			const solution = solveSitingGreedy(problem, { kind: 'mclp', p: 3, capacitated: true });
			expect(solution.objective).toBeCloseTo(servedWeight(problem, solution.chosen), 9);
			expect(solution.objective).toBeLessThanOrEqual(
				exhaustiveOptimum(problem, { kind: 'mclp', p: 3, capacitated: true }).objective + 1e-9
			);
		}
	});
});

describe('greedy set covering (LSCP)', () => {
	/*
	 * Six demand points of one resident each. Site 0 covers a–d, site 1 covers a, b and e, site 2
	 * covers c, d and f. Full coverage takes sites 1 and 2; site 0, added first for covering most,
	 * becomes redundant once they are in.
	 */
	const problem = () =>
		sitingProblemFromTimes(
			[
				[NEAR, NEAR, NEAR, NEAR, X, X],
				[NEAR, NEAR, X, X, NEAR, X],
				[X, X, NEAR, NEAR, X, NEAR]
			],
			{ weights: [1, 1, 1, 1, 1, 1], coverSeconds: 600, unreachedSeconds: 1200 }
		);

	it('drops a site that later additions made redundant', () => {
		const model = { kind: 'lscp', targetShare: 1 } as const;
		expect(exhaustiveOptimum(problem(), model).objective).toBe(2);
		const solution = solveSitingGreedy(problem(), model);
		expect(solution.chosen).toEqual([1, 2]);
		expect(solution.objective).toBe(2);
		expect(solution.coveredShare).toBe(1);
	});

	it('takes one site fewer when a search with fewer sites still meets the target', () => {
		/*
		 * As above, but sites 1 and 2 now cover only e and f, and sites 3 and 4 are the old 1 and 2.
		 * Adding sites one at a time gives {0, 1, 2}, none of them redundant; {3, 4} also covers all.
		 */
		const fewer = sitingProblemFromTimes(
			[
				[NEAR, NEAR, NEAR, NEAR, X, X],
				[X, X, X, X, NEAR, X],
				[X, X, X, X, X, NEAR],
				[NEAR, NEAR, X, X, NEAR, X],
				[X, X, NEAR, NEAR, X, NEAR]
			],
			{ weights: [1, 1, 1, 1, 1, 1], coverSeconds: 600, unreachedSeconds: 1200 }
		);
		const model = { kind: 'lscp', targetShare: 1 } as const;
		expect(exhaustiveOptimum(fewer, model).sites).toEqual([3, 4]);
		expect(solveSitingGreedy(fewer, model).chosen).toEqual([3, 4]);
	});

	it('stops as soon as the target share is met', () => {
		const solution = solveSitingGreedy(problem(), { kind: 'lscp', targetShare: 0.6 });
		expect(solution.chosen).toEqual([0]);
		expect(solution.coveredShare).toBeCloseTo(4 / 6, 12);
	});

	it('chooses nothing when open facilities already meet the target', () => {
		const covered = sitingProblemFromTimes([[NEAR, NEAR]], {
			weights: [9, 1],
			coverSeconds: 600,
			unreachedSeconds: 1200,
			existingSeconds: [100, Infinity]
		});
		const solution = solveSitingGreedy(covered, { kind: 'lscp', targetShare: 0.9 });
		expect(solution.chosen).toEqual([]);
		expect(solution.objective).toBe(0);
		expect(solution.coveredShare).toBe(0.9);
	});
});

describe('greedy p-median', () => {
	it('swaps its way from the best single median to the best pair', () => {
		const problem = line();
		expect(exhaustiveOptimum(problem, { kind: 'pmedian', p: 1 }).sites).toEqual([1]);
		const optimum = exhaustiveOptimum(problem, { kind: 'pmedian', p: 2 });
		expect(optimum).toEqual({ objective: 250, sites: [0, 2] });
		const solution = solveSitingGreedy(problem, { kind: 'pmedian', p: 2 });
		expect(solution.chosen).toEqual([0, 2]);
		expect(solution.objective).toBe(250);
		expect(solution.meanSeconds).toBe(250 / 2.5);
	});

	it('counts no walk longer than the nearest open facility or the unreached cost', () => {
		// a has an open facility 100 s away; b is reached by nothing and costs the 1,200 s limit.
		const problem = sitingProblemFromTimes([[300, X]], {
			weights: [2, 1],
			coverSeconds: 600,
			unreachedSeconds: 1200,
			existingSeconds: [100, Infinity]
		});
		const solution = solveSitingGreedy(problem, { kind: 'pmedian', p: 1 });
		expect(solution.objective).toBe(2 * 100 + 1200);
		expect(solution.meanSeconds).toBe(1400 / 3);
	});

	it('matches the exhaustive optimum on small instances where swaps reach it', () => {
		const problem = sitingProblemFromTimes(
			[
				[0, 200, 400, 600, 800],
				[200, 0, 200, 400, 600],
				[400, 200, 0, 200, 400],
				[600, 400, 200, 0, 200],
				[800, 600, 400, 200, 0]
			],
			{ weights: [3, 1, 1, 1, 3], coverSeconds: 600, unreachedSeconds: 1200 }
		);
		for (const p of [1, 2, 3]) {
			const model = { kind: 'pmedian', p } as const;
			expect(solveSitingGreedy(problem, model).objective).toBe(exhaustiveOptimum(problem, model).objective);
		}
	});
});

describe('greedy siting input checks', () => {
	const problem = overlapping();

	it('refuses p that is not a whole number from 1 to the candidate count', () => {
		expect(inputErrorCode(problem, { kind: 'mclp', p: 0 })).toBe('P_OUT_OF_RANGE');
		expect(inputErrorCode(problem, { kind: 'mclp', p: 1.5 })).toBe('P_OUT_OF_RANGE');
		expect(inputErrorCode(problem, { kind: 'pmedian', p: 4 })).toBe('P_OUT_OF_RANGE');
		expect(inputErrorCode(problem, { kind: 'pmedian', p: 3 })).toBeNull();
	});

	it('refuses a problem without candidates', () => {
		const empty = sitingProblemFromTimes([], { weights: [1], coverSeconds: 600, unreachedSeconds: 1200 });
		expect(inputErrorCode(empty, { kind: 'mclp', p: 1 })).toBe('NO_CANDIDATES');
	});

	it('refuses the capacitated model without capacities', () => {
		expect(inputErrorCode(problem, { kind: 'mclp', p: 1, capacitated: true })).toBe('NO_CAPACITIES');
	});

	it('refuses a target share outside (0, 1]', () => {
		expect(inputErrorCode(problem, { kind: 'lscp', targetShare: 0 })).toBe('TARGET_OUT_OF_RANGE');
		expect(inputErrorCode(problem, { kind: 'lscp', targetShare: 1.2 })).toBe('TARGET_OUT_OF_RANGE');
	});

	it('names the largest reachable share when the target is out of reach', () => {
		// Demand point c (3 of 14 residents) is reached by no candidate within the circle.
		const partial = sitingProblemFromTimes([[NEAR, NEAR, FAR, NEAR]], {
			weights: [4, 4, 3, 3],
			coverSeconds: 600,
			unreachedSeconds: 1200
		});
		expect(() => solveSitingGreedy(partial, { kind: 'lscp', targetShare: 0.9 })).toThrow(
			/cover only 78\.57 % of demand, short of the target 90\.00 %/
		);
		expect(inputErrorCode(partial, { kind: 'lscp', targetShare: 0.9 })).toBe('TARGET_UNREACHABLE');
		expect(inputErrorCode(partial, { kind: 'lscp', targetShare: 11 / 14 })).toBeNull();
	});
});
