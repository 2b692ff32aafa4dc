/**
 * Fast facility-siting heuristics: add the best site one at a time, then improve by swapping chosen
 * sites for unchosen ones. Pure and deterministic; every siting run (siting-run.ts) calls this, and
 * the exact solver (exact.ts) starts from its answer. Ties go to the lower candidate index.
 */
import { CoverFlow } from './cover-flow';
import {
	checkSitingModel,
	existingCoveredWeight,
	sitingSolution,
	targetWeight,
	totalWeight
} from './evaluate';
import { coverPairs, fallbackSeconds, savingPairs, type PairIndex } from './pair-index';
import type { SitingModel, SitingProblem, SitingSolution } from './problem';

/** Newly covered weight of the chosen sites, and each candidate's marginal gain, kept incrementally. */
class Coverage {
	/** Chosen sites covering each demand point. */
	readonly count: Int32Array;
	/** Weight each candidate would newly cover if added; for a chosen site, what removing it would lose. */
	readonly gain: Float64Array;
	covered = 0;

	constructor(
		private readonly pairs: PairIndex,
		private readonly weights: Float64Array
	) {
		this.count = new Int32Array(weights.length);
		this.gain = new Float64Array(pairs.siteStart.length - 1);
		for (let pos = 0; pos < pairs.demand.length; pos++)
			this.gain[pairs.site[pos]] += weights[pairs.demand[pos]];
	}

	add(site: number) {
		this.change(site, 1);
	}

	remove(site: number) {
		this.change(site, -1);
	}

	/** What removing a chosen site would lose: the weight it alone covers. */
	loss(site: number): number {
		const { siteStart, demand } = this.pairs;
		let loss = 0;
		for (let pos = siteStart[site]; pos < siteStart[site + 1]; pos++) {
			if (this.count[demand[pos]] === 1) loss += this.weights[demand[pos]];
		}
		return loss;
	}

	private change(site: number, by: 1 | -1) {
		const { siteStart, demand, site: siteOf, demandStart, byDemand } = this.pairs;
		for (let pos = siteStart[site]; pos < siteStart[site + 1]; pos++) {
			const i = demand[pos];
			const before = this.count[i];
			this.count[i] = before + by;
			// Only a demand point going from uncovered to covered, or back, changes any gain.
			if (before + by !== 0 && before !== 0) continue;
			const w = by * this.weights[i];
			this.covered += w;
			for (let t = demandStart[i]; t < demandStart[i + 1]; t++) this.gain[siteOf[byDemand[t]]] -= w;
		}
	}
}

/** The unchosen candidate with the largest value, lower index on ties (within tolerance); −1 if none. */
function bestUnchosen(values: Float64Array, chosen: Uint8Array, tolerance: number): number {
	let best = -1;
	for (let j = 0; j < values.length; j++) {
		if (!chosen[j] && (best < 0 || values[j] > values[best] + tolerance)) best = j;
	}
	return best;
}

/**
 * Randomised restarts after the plain greedy one (GRASP, Feo & Resende 1995): each picks, at every
 * step, uniformly among the few unchosen sites with the largest gains, from a fixed seed. On twelve
 * random problems of district size (2,000 points, 300 candidates, p = 10) one-site swaps alone
 * stopped up to 2.9 % short of the optimum, which often differed in half its sites; with these
 * restarts the worst was 0.8 %, for a few milliseconds each.
 */
const RESTARTS = 10;
const RESTART_CHOICES = 3;

/** mulberry32 (Tommy Ettinger, public domain): a small seeded generator, so restarts repeat exactly. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** One of the `count` unchosen candidates with the largest values (lower index first on ties), at random. */
function amongBest(values: Float64Array, chosen: Uint8Array, count: number, random: () => number): number {
	const best: number[] = [];
	for (let j = 0; j < values.length; j++) {
		if (chosen[j]) continue;
		let at = best.length;
		while (at > 0 && values[best[at - 1]] < values[j]) at--;
		if (at < count) {
			best.splice(at, 0, j);
			if (best.length > count) best.pop();
		}
	}
	return best[Math.floor(random() * best.length)];
}

/**
 * For each chosen site in turn, take it out and put in the best candidate if that covers strictly
 * more, until a full pass changes nothing (the interchange of Teitz & Bart 1968, applied to coverage).
 */
function swapCovering(coverage: Coverage, chosen: number[], inSet: Uint8Array, tolerance: number) {
	for (let improved = true; improved;) {
		improved = false;
		for (let slot = 0; slot < chosen.length; slot++) {
			const out = chosen[slot];
			coverage.remove(out);
			inSet[out] = 0;
			let k = bestUnchosen(coverage.gain, inSet, tolerance);
			if (coverage.gain[k] > coverage.gain[out] + tolerance) improved = true;
			else k = out;
			coverage.add(k);
			inSet[k] = 1;
			chosen[slot] = k;
		}
	}
}

/**
 * MCLP (Church & ReVelle 1974) on an empty Coverage: add the site covering the most not-yet-covered
 * weight, p times, and improve by swaps; then the same from randomised greedy starts, until one
 * covers `enough`. Returns the best set and its weight, and leaves the Coverage empty again.
 */
function searchCovering(coverage: Coverage, p: number, tolerance: number, enough = Infinity) {
	const inSet = new Uint8Array(coverage.gain.length);
	const random = seededRandom(1);
	const chosen: number[] = [];
	const clear = () => {
		for (const j of chosen) {
			coverage.remove(j);
			inSet[j] = 0;
		}
		chosen.length = 0;
	};
	let best: number[] = [];
	let bestCovered = -Infinity;
	for (let start = 0; start <= RESTARTS && bestCovered < enough; start++) {
		clear();
		while (chosen.length < p) {
			const k =
				start === 0
					? bestUnchosen(coverage.gain, inSet, tolerance)
					: amongBest(coverage.gain, inSet, RESTART_CHOICES, random);
			coverage.add(k);
			inSet[k] = 1;
			chosen.push(k);
		}
		swapCovering(coverage, chosen, inSet, tolerance);
		if (coverage.covered > bestCovered + tolerance) {
			bestCovered = coverage.covered;
			best = [...chosen];
		}
	}
	clear();
	return { chosen: best, covered: bestCovered };
}

function greedyCovering(problem: SitingProblem, p: number): number[] {
	const coverage = new Coverage(coverPairs(problem), problem.demandWeights);
	return searchCovering(coverage, p, 1e-9 * Math.max(1, totalWeight(problem))).chosen;
}

/**
 * Capacitated MCLP: the served weight of a set of sites is a maximum flow (CoverFlow), so each set
 * is valued exactly. Sites are added by largest marginal served weight; a maximum flow is submodular
 * in its set of sources, so stale marginals are upper bounds and most candidates need no
 * re-evaluation (lazy greedy, Minoux 1978). Swaps then try each chosen site against the unchosen
 * ones in order of what they could serve alone (the larger first among equal gains), stopping once
 * no remaining one could beat the current value.
 */
function greedyCapacitated(problem: SitingProblem, capacities: Float64Array, p: number): [number[], number] {
	const pairs = coverPairs(problem);
	const weights = problem.demandWeights;
	const flow = new CoverFlow(pairs, weights, capacities);
	const tolerance = 1e-9 * Math.max(1, totalWeight(problem));
	const m = problem.candidateCount;
	const reachBound = new Float64Array(m);
	for (let j = 0; j < m; j++) {
		let reach = 0;
		for (let pos = pairs.siteStart[j]; pos < pairs.siteStart[j + 1]; pos++)
			reach += weights[pairs.demand[pos]];
		reachBound[j] = Math.max(0, Math.min(capacities[j], reach));
	}
	const marginal = reachBound.slice();
	const freshAt = new Int32Array(m).fill(-1);
	const inSet = new Uint8Array(m);
	const chosen: number[] = [];
	while (chosen.length < p) {
		let k = bestUnchosen(marginal, inSet, tolerance);
		while (freshAt[k] !== chosen.length) {
			const mark = flow.checkpoint();
			flow.openSite(k);
			marginal[k] = flow.value - mark.value;
			freshAt[k] = chosen.length;
			flow.rollback(mark);
			k = bestUnchosen(marginal, inSet, tolerance);
		}
		flow.openSite(k);
		flow.commit();
		inSet[k] = 1;
		chosen.push(k);
	}
	const byBound = Array.from({ length: m }, (_, j) => j).sort(
		(a, b) => reachBound[b] - reachBound[a] || a - b
	);
	for (let improved = true; improved;) {
		improved = false;
		for (let slot = 0; slot < p; slot++) {
			const out = chosen[slot];
			const mark = flow.checkpoint();
			flow.closeSite(out);
			const without = flow.value;
			let best = mark.value + tolerance;
			let bestSite = -1;
			for (const k of byBound) {
				if (without + reachBound[k] <= best) break;
				if (inSet[k]) continue;
				const trial = flow.checkpoint();
				flow.openSite(k);
				if (flow.value > best) {
					best = flow.value;
					bestSite = k;
				}
				flow.rollback(trial);
			}
			if (bestSite < 0) {
				flow.rollback(mark);
				continue;
			}
			flow.openSite(bestSite);
			flow.commit();
			inSet[out] = 0;
			inSet[bestSite] = 1;
			chosen[slot] = bestSite;
			improved = true;
		}
	}
	return [chosen, flow.value];
}

/**
 * LSCP (Toregas et al. 1971) with a target share: add the site covering the most not-yet-covered
 * weight until the target is met, and drop chosen sites whose loss the target can spare, smallest
 * loss first. Then, while an MCLP search with one site fewer still meets the target, take its answer.
 */
function greedySetCovering(problem: SitingProblem, targetShare: number): number[] {
	const coverage = new Coverage(coverPairs(problem), problem.demandWeights);
	const tolerance = 1e-9 * Math.max(1, totalWeight(problem));
	const needed = targetWeight(problem, targetShare) - existingCoveredWeight(problem);
	const inSet = new Uint8Array(problem.candidateCount);
	let chosen: number[] = [];
	while (coverage.covered < needed) {
		const k = bestUnchosen(coverage.gain, inSet, tolerance);
		// checkSitingModel has made sure all candidates together reach the target.
		coverage.add(k);
		inSet[k] = 1;
		chosen.push(k);
	}
	chosen.sort((a, b) => a - b);
	for (;;) {
		let drop = -1;
		let dropLoss = Infinity;
		for (let slot = 0; slot < chosen.length; slot++) {
			const loss = coverage.loss(chosen[slot]);
			if (coverage.covered - loss >= needed && loss < dropLoss - tolerance) {
				drop = slot;
				dropLoss = loss;
			}
		}
		if (drop < 0) break;
		coverage.remove(chosen[drop]);
		chosen.splice(drop, 1);
	}
	for (const j of chosen) coverage.remove(j);
	while (chosen.length > 1) {
		const fewer = searchCovering(coverage, chosen.length - 1, tolerance, needed);
		if (fewer.covered < needed) break;
		chosen = fewer.chosen;
	}
	return chosen;
}

/**
 * p-median: add the site that saves the most weighted seconds, p times; then vertex substitution
 * (Teitz & Bart 1968). Each demand point keeps its nearest and second-nearest cost among the chosen
 * sites and its fallback, so the cost of taking a site out is known per demand point, and the saving
 * of every candidate put in instead is one pass over the pairs (the fast interchange of Whitaker 1983).
 */
function greedyMedian(problem: SitingProblem, p: number): number[] {
	const weights = problem.demandWeights;
	const fallback = fallbackSeconds(problem);
	const pairs = savingPairs(problem, fallback);
	const { siteStart, demand, seconds } = pairs;
	const m = problem.candidateCount;
	const n = weights.length;
	let scale = 0;
	for (let i = 0; i < n; i++) scale += weights[i] * fallback[i];
	const tolerance = 1e-9 * Math.max(1, scale);
	const saving = new Float64Array(m);
	/** Saving of each candidate if added to sites giving demand point i the cost current[i]. */
	const savings = (current: Float64Array) => {
		saving.fill(0);
		for (let j = 0; j < m; j++) {
			let s = 0;
			for (let pos = siteStart[j]; pos < siteStart[j + 1]; pos++) {
				const i = demand[pos];
				if (seconds[pos] < current[i]) s += weights[i] * (current[i] - seconds[pos]);
			}
			saving[j] = s;
		}
	};
	const inSet = new Uint8Array(m);
	const chosen: number[] = [];
	const nearest = fallback.slice();
	while (chosen.length < p) {
		savings(nearest);
		const k = bestUnchosen(saving, inSet, tolerance);
		for (let pos = siteStart[k]; pos < siteStart[k + 1]; pos++) {
			nearest[demand[pos]] = Math.min(nearest[demand[pos]], seconds[pos]);
		}
		inSet[k] = 1;
		chosen.push(k);
	}

	const nearestSite = new Int32Array(n);
	const second = new Float64Array(n);
	const rank = () => {
		nearest.set(fallback);
		nearestSite.fill(-1);
		second.fill(Infinity);
		for (const j of chosen) {
			for (let pos = siteStart[j]; pos < siteStart[j + 1]; pos++) {
				const i = demand[pos];
				if (seconds[pos] < nearest[i]) {
					second[i] = nearest[i];
					nearest[i] = seconds[pos];
					nearestSite[i] = j;
				} else if (seconds[pos] < second[i]) second[i] = seconds[pos];
			}
		}
	};
	rank();
	const without = new Float64Array(n);
	for (let improved = true; improved;) {
		improved = false;
		for (let slot = 0; slot < p; slot++) {
			const out = chosen[slot];
			without.set(nearest);
			let loss = 0;
			for (let pos = siteStart[out]; pos < siteStart[out + 1]; pos++) {
				const i = demand[pos];
				if (nearestSite[i] === out) {
					without[i] = second[i];
					loss += weights[i] * (second[i] - nearest[i]);
				}
			}
			savings(without);
			const k = bestUnchosen(saving, inSet, tolerance);
			if (saving[k] > loss + tolerance) {
				inSet[out] = 0;
				inSet[k] = 1;
				chosen[slot] = k;
				rank();
				improved = true;
			}
		}
	}
	return chosen;
}

/** Greedy construction plus swap improvement for any siting model; throws SitingInputError on a bad model. */
export function solveSitingGreedy(problem: SitingProblem, model: SitingModel): SitingSolution {
	const started = performance.now();
	checkSitingModel(problem, model);
	let chosen: number[];
	let served: number | undefined;
	if (model.kind === 'mclp' && model.capacitated) {
		[chosen, served] = greedyCapacitated(problem, problem.capacities!, model.p);
	} else if (model.kind === 'mclp') chosen = greedyCovering(problem, model.p);
	else if (model.kind === 'lscp') chosen = greedySetCovering(problem, model.targetShare);
	else chosen = greedyMedian(problem, model.p);
	return sitingSolution(problem, model, chosen, { solver: 'greedy', started, served });
}
