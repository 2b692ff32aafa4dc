/**
 * Builds a siting problem from the walking network: one time-limited search from each candidate
 * site gives the demand points it reaches and how long the walk takes. Pure; the planning server and
 * the CLI call it with the district's data or with files from elsewhere.
 */
import { walkingSecondsFrom, type WalkGraph } from '../../routing/walk-graph';
import type { SnappedPoints } from '../coverage';
import type { SitingProblem } from './problem';

export interface SitingMatrixOptions {
	speedMps: number;
	/** Covered means within this many seconds (the circle). */
	coverSeconds: number;
	/** Pairs beyond this are left out of the matrix; it is also the p-median cost of an unserved point. */
	limitSeconds: number;
}

export function buildSitingProblem(
	graph: WalkGraph,
	demand: { weights: Float64Array; snap: SnappedPoints },
	candidates: SnappedPoints,
	existingSeconds: Float64Array,
	options: SitingMatrixOptions,
	capacities?: Float64Array
): SitingProblem {
	const candidateCount = candidates.node.length;
	const reachOffsets = new Int32Array(candidateCount + 1);
	const pairsDemand: number[] = [];
	const pairsSeconds: number[] = [];
	const demandCount = demand.weights.length;
	for (let j = 0; j < candidateCount; j++) {
		const node = candidates.node[j];
		const startSeconds = candidates.snapMeters[j] / options.speedMps;
		if (node >= 0 && startSeconds <= options.limitSeconds) {
			const tree = walkingSecondsFrom(graph, node, {
				speedMps: options.speedMps,
				limitSeconds: options.limitSeconds - startSeconds
			});
			for (let i = 0; i < demandCount; i++) {
				const at = demand.snap.node[i];
				if (at < 0 || !(demand.weights[i] > 0)) continue;
				const seconds = startSeconds + tree.seconds[at] + demand.snap.snapMeters[i] / options.speedMps;
				if (seconds <= options.limitSeconds) {
					pairsDemand.push(i);
					pairsSeconds.push(seconds);
				}
			}
		}
		reachOffsets[j + 1] = pairsDemand.length;
	}
	return {
		demandWeights: demand.weights,
		candidateCount,
		reachOffsets,
		reachDemand: Int32Array.from(pairsDemand),
		reachSeconds: Float64Array.from(pairsSeconds),
		existingSeconds,
		coverSeconds: options.coverSeconds,
		unreachedSeconds: options.limitSeconds,
		capacities
	};
}
