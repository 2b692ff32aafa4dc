/**
 * What the greedy and exact siting solvers share: checking a model against its problem, and the
 * figures every SitingSolution reports for a set of chosen sites, computed the same way for both so
 * that their results compare like for like.
 */
import { coveredByExisting } from './pair-index';
import { SitingInputError, type SitingModel, type SitingProblem, type SitingSolution } from './problem';

export const totalWeight = (problem: SitingProblem) => problem.demandWeights.reduce((sum, w) => sum + w, 0);

export function existingCoveredWeight(problem: SitingProblem): number {
	let covered = 0;
	for (let i = 0; i < problem.demandWeights.length; i++) {
		if (coveredByExisting(problem, i)) covered += problem.demandWeights[i];
	}
	return covered;
}

/** Residents that all candidates together would newly cover: the most any covering solution reaches. */
function reachableWeight(problem: SitingProblem): number {
	const { reachOffsets, reachDemand, reachSeconds, demandWeights } = problem;
	const seen = new Uint8Array(demandWeights.length);
	let weight = 0;
	for (let r = 0; r < reachOffsets[problem.candidateCount]; r++) {
		const i = reachDemand[r];
		if (reachSeconds[r] <= problem.coverSeconds && !seen[i] && !coveredByExisting(problem, i)) {
			seen[i] = 1;
			weight += demandWeights[i];
		}
	}
	return weight;
}

/**
 * The covered weight an LSCP target share asks for, with a little slack so that a target met exactly
 * is not missed by rounding.
 */
export function targetWeight(problem: SitingProblem, targetShare: number): number {
	const total = totalWeight(problem);
	return targetShare * total - 1e-9 * total;
}

const percent = (share: number) => `${(100 * share).toFixed(2)} %`;

/** Throws SitingInputError when the model cannot be solved on this problem. */
export function checkSitingModel(problem: SitingProblem, model: SitingModel): void {
	const m = problem.candidateCount;
	if (m === 0) throw new SitingInputError('NO_CANDIDATES', 'the problem has no candidate sites');
	if (model.kind === 'lscp') {
		const { targetShare } = model;
		if (!(targetShare > 0 && targetShare <= 1)) {
			throw new SitingInputError(
				'TARGET_OUT_OF_RANGE',
				`targetShare must be above 0 and at most 1, not ${targetShare}`
			);
		}
		const covered = existingCoveredWeight(problem) + reachableWeight(problem);
		if (covered < targetWeight(problem, targetShare)) {
			const best = covered / totalWeight(problem);
			throw new SitingInputError(
				'TARGET_UNREACHABLE',
				`even all ${m} candidates cover only ${percent(best)} of demand, short of the target ${percent(targetShare)}`
			);
		}
		return;
	}
	if (!Number.isInteger(model.p) || model.p < 1 || model.p > m) {
		throw new SitingInputError('P_OUT_OF_RANGE', `p must be a whole number from 1 to ${m}, not ${model.p}`);
	}
	if (model.kind === 'mclp' && model.capacitated && problem.capacities?.length !== m) {
		throw new SitingInputError(
			'NO_CAPACITIES',
			`the capacitated model needs a capacity for each of the ${m} candidates`
		);
	}
}

interface SiteSetFigures {
	newlyCovered: number;
	coveredShare: number;
	meanSeconds: number;
	/** Σ residents × seconds to the nearest open or chosen site: the p-median objective. */
	totalSeconds: number;
}

/**
 * The figures of a set of chosen sites. `served` replaces the newly covered weight in the capacitated
 * model, where a site covers no more than its capacity.
 */
function siteSetFigures(problem: SitingProblem, chosen: readonly number[], served?: number): SiteSetFigures {
	const { demandWeights, reachOffsets, reachDemand, reachSeconds, coverSeconds } = problem;
	const nearestChosen = new Float64Array(demandWeights.length).fill(Infinity);
	for (const j of chosen) {
		for (let r = reachOffsets[j]; r < reachOffsets[j + 1]; r++) {
			const i = reachDemand[r];
			if (reachSeconds[r] < nearestChosen[i]) nearestChosen[i] = reachSeconds[r];
		}
	}
	let total = 0;
	let covered = 0;
	let newlyCovered = 0;
	let totalSeconds = 0;
	for (let i = 0; i < demandWeights.length; i++) {
		const w = demandWeights[i];
		total += w;
		totalSeconds += w * Math.min(nearestChosen[i], problem.existingSeconds[i], problem.unreachedSeconds);
		if (coveredByExisting(problem, i)) covered += w;
		else if (nearestChosen[i] <= coverSeconds) newlyCovered += w;
	}
	newlyCovered = served ?? newlyCovered;
	return {
		newlyCovered,
		coveredShare: total > 0 ? (covered + newlyCovered) / total : 1,
		meanSeconds: total > 0 ? totalSeconds / total : 0,
		totalSeconds
	};
}

export interface SolutionDetails {
	solver: SitingSolution['solver'];
	/** performance.now() when the solve began. */
	started: number;
	/** Served weight in the capacitated model. */
	served?: number;
	proven?: boolean;
	bound?: number;
}

/** A SitingSolution for the chosen sites, its objective computed from them. */
export function sitingSolution(
	problem: SitingProblem,
	model: SitingModel,
	chosen: readonly number[],
	details: SolutionDetails
): SitingSolution {
	const figures = siteSetFigures(problem, chosen, details.served);
	const objective =
		model.kind === 'mclp'
			? figures.newlyCovered
			: model.kind === 'lscp'
				? chosen.length
				: figures.totalSeconds;
	const solution: SitingSolution = {
		model: model.kind,
		chosen: [...chosen].sort((a, b) => a - b),
		objective,
		newlyCovered: figures.newlyCovered,
		coveredShare: figures.coveredShare,
		meanSeconds: figures.meanSeconds,
		solver: details.solver,
		elapsedMs: 0
	};
	if (details.proven !== undefined) solution.proven = details.proven;
	if (details.bound !== undefined) solution.bound = details.bound;
	solution.elapsedMs = performance.now() - details.started;
	return solution;
}
