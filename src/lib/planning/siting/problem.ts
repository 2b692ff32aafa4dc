/**
 * The shape every facility-siting model works on: weighted demand points, candidate sites, and for
 * each candidate the demand points it reaches on foot with their walking times (a sparse matrix in
 * CSR form, built from the walking network by the planning server or CLI). Pure data, no I/O.
 */

export interface SitingProblem {
	/** Elderly residents at each demand point. */
	demandWeights: Float64Array;
	/** How many candidate sites there are; candidates are numbered 0 … candidateCount − 1. */
	candidateCount: number;
	/**
	 * Candidate j reaches demand points reachDemand[reachOffsets[j] .. reachOffsets[j + 1]) (sorted
	 * by demand index) in reachSeconds of the same slots. Pairs beyond the matrix's time limit are absent.
	 */
	reachOffsets: Int32Array;
	reachDemand: Int32Array;
	reachSeconds: Float64Array;
	/** Seconds from each demand point to its nearest existing facility; Infinity when none is in reach. */
	existingSeconds: Float64Array;
	/** A demand point is covered when some open or chosen site is within this many seconds (900 = 15 min). */
	coverSeconds: number;
	/**
	 * What an unserved demand point costs in the p-median objective, in seconds: the matrix's time
	 * limit, so that "not reached within the limit" is counted as "at the limit", not as zero.
	 */
	unreachedSeconds: number;
	/** Elderly residents each candidate can serve (beds or seats); absent when capacity is not modelled. */
	capacities?: Float64Array;
}

/** Maximal covering (MCLP): p sites that newly cover the most demand not already covered. */
export interface MaximalCoveringModel {
	kind: 'mclp';
	p: number;
	/** When true, a chosen site serves at most its capacity of newly covered demand. */
	capacitated?: boolean;
}

/** Set covering (LSCP): the fewest sites that bring the covered share of demand to the target. */
export interface SetCoveringModel {
	kind: 'lscp';
	/** Target covered share of all demand, 0 … 1, counting demand already covered by open facilities. */
	targetShare: number;
}

/** p-median: p sites that minimise the total demand-weighted walking time to the nearest site. */
export interface PMedianModel {
	kind: 'pmedian';
	p: number;
}

export type SitingModel = MaximalCoveringModel | SetCoveringModel | PMedianModel;

export interface SitingSolution {
	model: SitingModel['kind'];
	/** Chosen candidate indices, ascending. */
	chosen: number[];
	/**
	 * The model's objective: newly covered demand (mclp, higher is better), number of sites (lscp),
	 * or total weighted seconds (pmedian, lower is better).
	 */
	objective: number;
	/** Demand newly covered by the chosen sites (capped by capacity in the capacitated model). */
	newlyCovered: number;
	/** Share of all demand covered by open plus chosen sites, 0 … 1. */
	coveredShare: number;
	/** Demand-weighted mean seconds to the nearest open or chosen site, unreached counted at unreachedSeconds. */
	meanSeconds: number;
	solver: 'greedy' | 'exact';
	/** For the exact solver: whether optimality was proven, and the solver's bound on the objective. */
	proven?: boolean;
	bound?: number;
	elapsedMs: number;
}

/** A bad model for the problem (p larger than the candidates, an unreachable target share…). */
export class SitingInputError extends Error {
	constructor(
		readonly code:
			'P_OUT_OF_RANGE' | 'TARGET_OUT_OF_RANGE' | 'TARGET_UNREACHABLE' | 'NO_CAPACITIES' | 'NO_CANDIDATES',
		message: string
	) {
		super(message);
		this.name = 'SitingInputError';
	}
}
