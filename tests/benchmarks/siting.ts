/**
 * How fast the greedy siting heuristics are and how close they come to HiGHS's answer, for maximal
 * covering and p-median on one problem. Called by tests/benchmarks/planning.ts with the district's
 * siting problem; `label` names the problem in every row.
 */
import { solveSitingExact } from '../../src/lib/planning/siting/exact';
import { optimalityGap } from '../../src/lib/planning/siting/gap';
import { solveSitingGreedy } from '../../src/lib/planning/siting/greedy';
import type { SitingModel, SitingProblem, SitingSolution } from '../../src/lib/planning/siting/problem';
import type { BenchRow } from './run';

/** Median of a few runs, so one garbage collection or cold JIT does not decide the figure. */
const RUNS = 5;
const TIME_LIMIT_SECONDS = 10;
const P = 10;

const MODELS: [string, SitingModel][] = [
	['MCLP', { kind: 'mclp', p: P }],
	['p-median', { kind: 'pmedian', p: P }]
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The objective in its own unit: residents newly covered, or the mean walk. */
function inWords(solution: SitingSolution): string {
	return solution.model === 'mclp'
		? `${Math.round(solution.newlyCovered)} residents newly covered, ${(100 * solution.coveredShare).toFixed(1)} % covered`
		: `mean walk ${solution.meanSeconds.toFixed(1)} s`;
}

export async function benchSitingOnProblem(problem: SitingProblem, label: string): Promise<BenchRow[]> {
	const rows: BenchRow[] = [];
	for (const [name, model] of MODELS) {
		process.stderr.write(`bench: siting ${name}, greedy and exact…\n`);
		const greedyRuns = Array.from({ length: RUNS }, () => solveSitingGreedy(problem, model));
		const greedy = greedyRuns[0];
		const exact = await solveSitingExact(problem, model, { timeLimitSeconds: TIME_LIMIT_SECONDS });
		const gap = optimalityGap(greedy, exact);
		const against = exact.proven ? 'the proven optimum' : `HiGHS's best in ${TIME_LIMIT_SECONDS} s, unproven`;
		const bound = exact.bound === undefined ? 'none' : exact.bound.toFixed(exact.model === 'mclp' ? 1 : 0);
		rows.push(
			{
				name: `siting ${name} greedy (${label}), median of ${RUNS}`,
				value: `${median(greedyRuns.map((s) => s.elapsedMs)).toFixed(1)} ms; ${inWords(greedy)}`
			},
			{
				name: `siting ${name} exact, HiGHS with a ${TIME_LIMIT_SECONDS} s limit (${label})`,
				value: `${(exact.elapsedMs / 1000).toFixed(1)} s, ${exact.proven ? 'proven optimal' : 'not proven'}; ${inWords(exact)}; objective ${exact.objective.toFixed(0)}, bound ${bound}`
			},
			{
				name: `siting ${name} greedy gap to ${against}`,
				value: `${(100 * gap).toFixed(2)} %`
			}
		);
	}
	return rows;
}
