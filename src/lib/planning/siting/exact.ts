/**
 * Exact facility siting: each model as a mixed-integer programme solved by HiGHS (compiled to
 * WebAssembly, package `highs`), started from the greedy answer so that a run stopped by its time
 * limit still returns a solution at least as good. The model is passed to HiGHS as sparse arrays
 * rather than LP text: nothing to format, no line-length limits, and the persistent model reports
 * the solver's dual bound, which the one-shot `solve()` does not. runSiting (siting-run.ts) calls
 * this when a planner asks for the optimum and the gap of the greedy answer to it.
 */
import loadHighs, { type Highs, type ModelData } from 'highs';
import { CoverFlow } from './cover-flow';
import { checkSitingModel, existingCoveredWeight, sitingSolution, targetWeight } from './evaluate';
import { optimalityGap } from './gap';
import { solveSitingGreedy } from './greedy';
import { coverPairs, fallbackSeconds, savingPairs } from './pair-index';
import type { SitingModel, SitingProblem, SitingSolution } from './problem';

export interface SitingExactOptions {
	/** HiGHS stops after this long and the best solution found so far is returned, unproven. */
	timeLimitSeconds: number;
}

/**
 * Below this relative gap between solution and bound HiGHS calls a solution optimal. Tighter than its
 * default (1e-4) so that the exact answer is the optimum in every figure it reports, loose enough for
 * rounding in sums of residents × seconds.
 */
const MIP_REL_GAP = 1e-7;

let runtime: Promise<Highs> | undefined;

/** The WebAssembly runtime, loaded once per process and reused: each load costs 50–100 ms. */
function highs(): Promise<Highs> {
	runtime ??= loadHighs().catch((error: unknown) => {
		runtime = undefined;
		throw error;
	});
	return runtime;
}

/** A MIP under construction: every column bounded to [0, 1], rows in compressed sparse row form. */
class Mip {
	readonly cost: number[] = [];
	readonly integrality: number[] = [];
	readonly start: number[] = [];
	readonly rowStarts: number[] = [0];
	readonly indices: number[] = [];
	readonly values: number[] = [];
	readonly rowLower: number[] = [];
	readonly rowUpper: number[] = [];

	/** Adds a column with its objective coefficient and its value in the starting solution. */
	column(cost: number, integer: boolean, start: number): number {
		this.cost.push(cost);
		this.integrality.push(integer ? 1 : 0);
		this.start.push(start);
		return this.cost.length - 1;
	}

	term(column: number, value: number) {
		this.indices.push(column);
		this.values.push(value);
	}

	endRow(lower: number, upper: number) {
		this.rowLower.push(lower);
		this.rowUpper.push(upper);
		this.rowStarts.push(this.indices.length);
	}

	/** Σ y = p over the site columns 0 … sites − 1. */
	cardinality(sites: number, p: number) {
		for (let j = 0; j < sites; j++) this.term(j, 1);
		this.endRow(p, p);
	}

	data(highs: Highs, maximize: boolean, offset = 0): ModelData {
		const numCols = this.cost.length;
		const numRows = this.rowLower.length;
		return {
			numCols,
			numRows,
			sense: maximize ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
			offset,
			colCost: this.cost,
			colLower: new Float64Array(numCols),
			colUpper: new Float64Array(numCols).fill(1),
			rowLower: this.rowLower.map((v) => (v === -Infinity ? -highs.infinity : v)),
			rowUpper: this.rowUpper.map((v) => (v === Infinity ? highs.infinity : v)),
			matrix: {
				format: 'csr',
				numRows,
				numCols,
				starts: Int32Array.from(this.rowStarts),
				indices: Int32Array.from(this.indices),
				values: Float64Array.from(this.values)
			},
			integrality: Int32Array.from(this.integrality)
		};
	}
}

/** One binary column y_j per candidate, first, valued 1 for the starting solution's sites. */
function siteColumns(mip: Mip, problem: SitingProblem, start: SitingSolution, cost: number) {
	const open = new Uint8Array(problem.candidateCount);
	for (const j of start.chosen) open[j] = 1;
	for (let j = 0; j < problem.candidateCount; j++) mip.column(cost, true, open[j]);
	return open;
}

/**
 * MCLP (Church & ReVelle 1974): max Σ w_i z_i, z_i ≤ Σ_{j covers i} y_j, Σ y_j = p. Only demand
 * points that some candidate would newly cover get a z_i; z_i may stay continuous, since with binary
 * y an optimum has it at 0 or 1.
 */
function coveringMip(problem: SitingProblem, p: number, start: SitingSolution): Mip {
	const mip = new Mip();
	const open = siteColumns(mip, problem, start, 0);
	const { demandStart, byDemand, site } = coverPairs(problem);
	for (let i = 0; i < problem.demandWeights.length; i++) {
		if (demandStart[i] === demandStart[i + 1]) continue;
		let covered = 0;
		for (let t = demandStart[i]; t < demandStart[i + 1]; t++) covered ||= open[site[byDemand[t]]];
		mip.term(mip.column(problem.demandWeights[i], false, covered), 1);
		for (let t = demandStart[i]; t < demandStart[i + 1]; t++) mip.term(site[byDemand[t]], -1);
		mip.endRow(-Infinity, 0);
	}
	mip.cardinality(problem.candidateCount, p);
	return mip;
}

/**
 * Capacitated MCLP: x_ij is the share of demand point i that site j serves, max Σ w_i x_ij with
 * Σ_j x_ij ≤ 1, Σ_i w_i x_ij ≤ cap_j y_j and x_ij ≤ y_j (redundant, but it makes the relaxation
 * much tighter), Σ y_j = p. Harder than the uncapacitated model: on 2,300 points × 300 candidates,
 * p = 10, a minute left a 1.5 % gap between incumbent and bound.
 */
function capacitatedMip(
	problem: SitingProblem,
	capacities: Float64Array,
	p: number,
	start: SitingSolution
): Mip {
	const mip = new Mip();
	const weights = problem.demandWeights;
	siteColumns(mip, problem, start, 0);
	const pairs = coverPairs(problem);
	const flow = new CoverFlow(pairs, weights, capacities);
	for (const j of start.chosen) flow.openSite(j);
	const x = new Int32Array(pairs.demand.length);
	for (let pos = 0; pos < pairs.demand.length; pos++) {
		const w = weights[pairs.demand[pos]];
		x[pos] = mip.column(w, false, Math.min(1, flow.flow[pos] / w));
		mip.term(x[pos], 1);
		mip.term(pairs.site[pos], -1);
		mip.endRow(-Infinity, 0);
	}
	for (let i = 0; i < weights.length; i++) {
		if (pairs.demandStart[i] === pairs.demandStart[i + 1]) continue;
		for (let t = pairs.demandStart[i]; t < pairs.demandStart[i + 1]; t++) mip.term(x[pairs.byDemand[t]], 1);
		mip.endRow(-Infinity, 1);
	}
	for (let j = 0; j < problem.candidateCount; j++) {
		for (let pos = pairs.siteStart[j]; pos < pairs.siteStart[j + 1]; pos++) {
			mip.term(x[pos], weights[pairs.demand[pos]]);
		}
		mip.term(j, -capacities[j]);
		mip.endRow(-Infinity, 0);
	}
	mip.cardinality(problem.candidateCount, p);
	return mip;
}

/**
 * LSCP (Toregas et al. 1971) with a target share: min Σ y_j with z_i ≤ Σ_{j covers i} y_j and
 * Σ w_i z_i at least the weight the target still needs beyond what open facilities cover.
 */
function setCoveringMip(problem: SitingProblem, needed: number, start: SitingSolution): Mip {
	const mip = new Mip();
	const open = siteColumns(mip, problem, start, 1);
	const { demandStart, byDemand, site } = coverPairs(problem);
	const z: number[] = [];
	for (let i = 0; i < problem.demandWeights.length; i++) {
		if (demandStart[i] === demandStart[i + 1]) continue;
		let covered = 0;
		for (let t = demandStart[i]; t < demandStart[i + 1]; t++) covered ||= open[site[byDemand[t]]];
		const column = mip.column(0, false, covered);
		z.push(column, problem.demandWeights[i]);
		mip.term(column, 1);
		for (let t = demandStart[i]; t < demandStart[i + 1]; t++) mip.term(site[byDemand[t]], -1);
		mip.endRow(-Infinity, 0);
	}
	for (let k = 0; k < z.length; k += 2) mip.term(z[k], z[k + 1]);
	mip.endRow(needed, Infinity);
	return mip;
}

/**
 * p-median (ReVelle & Swain 1970): x_ij = 1 when demand point i walks to site j, min
 * Σ w_i t_ij x_ij + Σ w_i f_i (1 − Σ_j x_ij), where f_i is the fallback (an open facility, or the
 * unreached cost), with Σ_j x_ij ≤ 1, x_ij ≤ y_j, Σ y_j = p. Only pairs faster than the fallback
 * get a column; the fallback costs are the objective's constant. Its relaxation is large and
 * degenerate: on 2,300 points × 300 candidates (118,000 such pairs) HiGHS in WebAssembly took about
 * ten minutes to prove the optimum, so shorter limits usually return the greedy start, unproven.
 */
function medianMip(problem: SitingProblem, p: number, start: SitingSolution): [Mip, number] {
	const mip = new Mip();
	const weights = problem.demandWeights;
	siteColumns(mip, problem, start, 0);
	const fallback = fallbackSeconds(problem);
	const { demandStart, byDemand, site, seconds } = savingPairs(problem, fallback);
	let offset = 0;
	for (let i = 0; i < weights.length; i++) offset += weights[i] * fallback[i];
	const chosen = new Uint8Array(problem.candidateCount);
	for (const j of start.chosen) chosen[j] = 1;
	for (let i = 0; i < weights.length; i++) {
		if (demandStart[i] === demandStart[i + 1]) continue;
		let nearest = -1;
		for (let t = demandStart[i]; t < demandStart[i + 1]; t++) {
			const pos = byDemand[t];
			if (chosen[site[pos]] && (nearest < 0 || seconds[pos] < seconds[nearest])) nearest = pos;
		}
		const first = mip.cost.length;
		for (let t = demandStart[i]; t < demandStart[i + 1]; t++) {
			const pos = byDemand[t];
			const x = mip.column(-weights[i] * (fallback[i] - seconds[pos]), false, pos === nearest ? 1 : 0);
			mip.term(x, 1);
			mip.term(site[pos], -1);
			mip.endRow(-Infinity, 0);
		}
		for (let x = first; x < mip.cost.length; x++) mip.term(x, 1);
		mip.endRow(-Infinity, 1);
	}
	mip.cardinality(problem.candidateCount, p);
	return [mip, offset];
}

/** Residents the sites serve in the capacitated model, where their capacities cap coverage. */
function servedWeight(problem: SitingProblem, model: SitingModel, chosen: number[]): number | undefined {
	if (model.kind !== 'mclp' || !model.capacitated) return undefined;
	const flow = new CoverFlow(coverPairs(problem), problem.demandWeights, problem.capacities!);
	for (const j of chosen) flow.openSite(j);
	return flow.value;
}

/** The sites chosen by a MIP solution: its y columns, which come first. */
function chosenSites(colValue: ArrayLike<number>, sites: number): number[] {
	const chosen: number[] = [];
	for (let j = 0; j < sites; j++) if (colValue[j] > 0.5) chosen.push(j);
	return chosen;
}

/**
 * Solves the model to optimality, or as near as the time limit allows (`proven` says which);
 * throws SitingInputError on a bad model, as the greedy solver does.
 */
export async function solveSitingExact(
	problem: SitingProblem,
	model: SitingModel,
	options: SitingExactOptions
): Promise<SitingSolution> {
	const started = performance.now();
	checkSitingModel(problem, model);
	const start = solveSitingGreedy(problem, model);
	let mip: Mip;
	let offset = 0;
	if (model.kind === 'lscp') {
		const needed = targetWeight(problem, model.targetShare) - existingCoveredWeight(problem);
		// Open facilities already meet the target: no site is the proven optimum.
		if (needed <= 0)
			return sitingSolution(problem, model, [], { solver: 'exact', started, proven: true, bound: 0 });
		mip = setCoveringMip(problem, needed, start);
	} else if (model.kind === 'pmedian') [mip, offset] = medianMip(problem, model.p, start);
	else if (model.capacitated) mip = capacitatedMip(problem, problem.capacities!, model.p, start);
	else mip = coveringMip(problem, model.p, start);

	const solver = await highs();
	const result = solver.withModel(mip.data(solver, model.kind === 'mclp', offset), (highsModel) => {
		highsModel.options.set({
			output_flag: false,
			time_limit: options.timeLimitSeconds,
			mip_rel_gap: MIP_REL_GAP
		});
		highsModel.setSolution({ colValue: mip.start });
		const { modelStatus } = highsModel.run();
		const feasible = Number(highsModel.info.get('primal_solution_status')) === 2;
		return {
			proven: modelStatus === solver.constants.modelStatus.optimal,
			bound: Number(highsModel.info.get('mip_dual_bound')),
			chosen: feasible ? chosenSites(highsModel.getSolution().colValue, problem.candidateCount) : start.chosen
		};
	});
	const figures = (chosen: number[], proven: boolean) =>
		sitingSolution(problem, model, chosen, {
			solver: 'exact',
			started,
			served: servedWeight(problem, model, chosen),
			proven
		});
	let solution = figures(result.chosen, result.proven);
	// HiGHS keeps the greedy start unless it finds better, but could drop it on a tolerance: never
	// return less than the start.
	if (!result.proven && optimalityGap(solution, start) > 0) solution = figures(start.chosen, false);
	// Without a dual bound from HiGHS, a proven optimum is its own bound.
	if (Number.isFinite(result.bound)) solution.bound = result.bound;
	else if (result.proven) solution.bound = solution.objective;
	return solution;
}
