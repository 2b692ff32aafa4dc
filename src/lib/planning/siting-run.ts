/**
 * One siting run on a district: the candidates are snapped to the walking network, the coverage
 * matrix is built, the greedy heuristic (and, when asked, the exact solver) choose sites, and the
 * district's coverage is counted before and after. Pure apart from the solver's WebAssembly; used by
 * the planning API and `npm run plan -- site`.
 */
import { haversineMeters } from '../routing/walk-graph';
import { ANY_KIND, demandCoverage, snapPoints } from './coverage';
import {
	coverageReport,
	PlanningInputError,
	requireGraph,
	scenarioSites,
	SEARCH_LIMIT_SECONDS,
	type PlanningInputs,
	type ScenarioChanges
} from './coverage-report';
import type { CandidateSite, CoverageParameters, SitingResult } from './report';
import { solveSitingExact } from './siting/exact';
import { optimalityGap } from './siting/gap';
import { solveSitingGreedy } from './siting/greedy';
import { buildSitingProblem } from './siting/matrix';
import type { SitingModel } from './siting/problem';

export interface SitingRequest {
	model: SitingModel;
	/** 'both' runs the exact solver too and reports the gap. */
	solver: 'greedy' | 'both';
	timeLimitSeconds: number;
	candidates: CandidateSite[];
	/** Capacity of a candidate that does not state its own (capacitated model only). */
	defaultCapacity?: number;
}

/** Pairs further apart than twice the circle are left out; they can neither cover nor be a good median. */
const MATRIX_LIMIT_FACTOR = 2;

export async function runSiting(
	inputs: PlanningInputs,
	parameters: CoverageParameters,
	request: SitingRequest,
	changes: ScenarioChanges = { added: [], removedFacilityIds: [] }
): Promise<SitingResult> {
	const graph = requireGraph(inputs);
	if (request.candidates.length === 0)
		throw new PlanningInputError('BAD_SITE', 'there are no candidate sites to choose from');
	// Within a single-kind analysis a chosen site counts as that kind, whatever it was proposed as.
	const candidates = request.candidates.map((c) =>
		parameters.kind === ANY_KIND ? c : { ...c, kind: parameters.kind }
	);
	const candidateSnap = snapPoints(graph, candidates);
	const offNetwork = candidates.filter((_, j) => candidateSnap.node[j] < 0);
	if (offNetwork.length > 0)
		throw new PlanningInputError(
			'BAD_SITE',
			`${offNetwork.length} candidate site(s) are too far from any walkway to be reached, e.g. ${offNetwork[0].name} at ${offNetwork[0].lon.toFixed(5)}, ${offNetwork[0].lat.toFixed(5)}`
		);
	const coverSeconds = parameters.minutes * 60;
	const sites = scenarioSites(inputs, changes);
	const existing = demandCoverage(graph, inputs.demand, sites, {
		speedMps: parameters.speedMps,
		bandsMinutes: parameters.bandsMinutes,
		limitSeconds: SEARCH_LIMIT_SECONDS
	});
	const existingSeconds =
		existing.byKind.get(parameters.kind)?.seconds ?? new Float64Array(inputs.demand.length).fill(Infinity);
	const capacities =
		request.model.kind === 'mclp' && request.model.capacitated
			? Float64Array.from(candidates, (c) => c.capacity ?? request.defaultCapacity ?? NaN)
			: undefined;
	if (capacities?.some((c) => !(c >= 0)))
		throw new PlanningInputError(
			'BAD_SITE',
			'the capacitated model needs a capacity for every candidate (or a default capacity)'
		);
	const problem = buildSitingProblem(
		graph,
		{ weights: Float64Array.from(inputs.demand, (d) => d.weight), snap: existing.demandSnap },
		candidateSnap,
		existingSeconds,
		{
			speedMps: parameters.speedMps,
			coverSeconds,
			limitSeconds: Math.min(SEARCH_LIMIT_SECONDS, coverSeconds * MATRIX_LIMIT_FACTOR)
		},
		capacities
	);
	const greedy = solveSitingGreedy(problem, request.model);
	const exact =
		request.solver === 'both'
			? await solveSitingExact(problem, request.model, { timeLimitSeconds: request.timeLimitSeconds })
			: null;
	const gap = exact ? optimalityGap(greedy, exact) : null;
	const best = exact && optimalityGap(exact, greedy) <= 0 ? exact : greedy;
	const chosen = best.chosen.map((j) => candidates[j]);
	const before = coverageReport(inputs, parameters, changes).district;
	const after = coverageReport(inputs, parameters, {
		...changes,
		added: [...changes.added, ...chosen]
	}).district;
	return {
		candidates: candidates.map((c, j) => ({ ...c, snapMeters: Math.round(candidateSnap.snapMeters[j]) })),
		greedy,
		exact,
		gap,
		chosen,
		before,
		after
	};
}

/**
 * Candidate sites spread over where the elderly live: demand points by weight, heaviest first, each
 * kept only when no kept one is within `spacingMeters`. Deterministic, for benchmarks and for
 * planners who want the model to propose sites of its own.
 */
export function spreadCandidates(
	demand: { lon: number; lat: number; weight: number }[],
	count: number,
	spacingMeters = 300
): CandidateSite[] {
	const order = demand.map((d, i) => i).sort((a, b) => demand[b].weight - demand[a].weight || a - b);
	const kept: CandidateSite[] = [];
	for (const i of order) {
		if (kept.length >= count) break;
		const at: [number, number] = [demand[i].lon, demand[i].lat];
		if (kept.some((k) => haversineMeters([k.lon, k.lat], at) < spacingMeters)) continue;
		kept.push({
			name: `G${kept.length + 1}`,
			kind: 'community_station',
			lon: at[0],
			lat: at[1],
			capacity: null,
			source: 'generated'
		});
	}
	return kept;
}
