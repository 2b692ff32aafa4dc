/**
 * The part of a siting problem's reach matrix that can change an objective, indexed both by candidate
 * and by demand point. The greedy and exact solvers build their state and their models on it, so that
 * demand already served as well as it can be never costs work.
 */
import type { SitingProblem } from './problem';

export interface PairIndex {
	/** Pairs of candidate j are the positions siteStart[j] … siteStart[j + 1] − 1 of the arrays below. */
	siteStart: Int32Array;
	demand: Int32Array;
	site: Int32Array;
	seconds: Float64Array;
	/** Pairs of demand point i, as positions into the arrays above: byDemand[demandStart[i] … demandStart[i + 1]). */
	demandStart: Int32Array;
	byDemand: Int32Array;
}

function buildPairIndex(
	problem: SitingProblem,
	keep: (demand: number, seconds: number) => boolean
): PairIndex {
	const { candidateCount, reachOffsets, reachDemand, reachSeconds } = problem;
	const demandCount = problem.demandWeights.length;
	const kept: number[] = [];
	const siteStart = new Int32Array(candidateCount + 1);
	for (let j = 0; j < candidateCount; j++) {
		for (let r = reachOffsets[j]; r < reachOffsets[j + 1]; r++) {
			if (keep(reachDemand[r], reachSeconds[r])) kept.push(r);
		}
		siteStart[j + 1] = kept.length;
	}
	const demand = new Int32Array(kept.length);
	const site = new Int32Array(kept.length);
	const seconds = new Float64Array(kept.length);
	const demandStart = new Int32Array(demandCount + 1);
	for (let j = 0; j < candidateCount; j++) {
		for (let pos = siteStart[j]; pos < siteStart[j + 1]; pos++) {
			demand[pos] = reachDemand[kept[pos]];
			site[pos] = j;
			seconds[pos] = reachSeconds[kept[pos]];
			demandStart[demand[pos] + 1]++;
		}
	}
	for (let i = 0; i < demandCount; i++) demandStart[i + 1] += demandStart[i];
	const fill = demandStart.slice(0, demandCount);
	const byDemand = new Int32Array(kept.length);
	for (let pos = 0; pos < kept.length; pos++) byDemand[fill[demand[pos]]++] = pos;
	return { siteStart, demand, site, seconds, demandStart, byDemand };
}

/** Whether an open facility already covers demand point i. */
export const coveredByExisting = (problem: SitingProblem, i: number) =>
	problem.existingSeconds[i] <= problem.coverSeconds;

/**
 * Pairs that would newly cover demand: within coverSeconds, to a demand point with residents that no
 * open facility covers yet. The covering models (MCLP, LSCP) work on these alone.
 */
export const coverPairs = (problem: SitingProblem) =>
	buildPairIndex(
		problem,
		(i, seconds) =>
			seconds <= problem.coverSeconds && problem.demandWeights[i] > 0 && !coveredByExisting(problem, i)
	);

/** What each demand point costs in the p-median objective when no chosen site is nearer. */
export function fallbackSeconds(problem: SitingProblem): Float64Array {
	const { existingSeconds, unreachedSeconds } = problem;
	return existingSeconds.map((seconds) => Math.min(seconds, unreachedSeconds));
}

/** Pairs that would shorten some resident's walk below the fallback: the only ones p-median needs. */
export const savingPairs = (problem: SitingProblem, fallback: Float64Array) =>
	buildPairIndex(problem, (i, seconds) => seconds < fallback[i] && problem.demandWeights[i] > 0);
