/**
 * How far a siting solution falls short of another on the same model, usually the greedy answer
 * against the exact one. The planning API reports it beside every exact run.
 */
import type { SitingSolution } from './problem';

/**
 * The shortfall of `heuristic` relative to `exact`, as a fraction ≥ 0 of the exact objective: for
 * MCLP (maximised) (exact − heuristic) / exact, for LSCP and p-median (minimised)
 * (heuristic − exact) / exact. 0 when the heuristic is as good or better; Infinity when the exact
 * objective is 0 and the heuristic's is worse.
 *
 * @example optimalityGap(greedy, exact) // 0.004: greedy covers 0.4 % fewer residents
 */
export function optimalityGap(heuristic: SitingSolution, exact: SitingSolution): number {
	if (heuristic.model !== exact.model) {
		throw new Error(`cannot compare a ${heuristic.model} solution with a ${exact.model} one`);
	}
	const shortfall =
		heuristic.model === 'mclp'
			? exact.objective - heuristic.objective
			: heuristic.objective - exact.objective;
	if (!(shortfall > 0)) return 0;
	return exact.objective === 0 ? Infinity : shortfall / Math.abs(exact.objective);
}
