/**
 * Reference answers for the siting solvers' tests: every subset of candidates tried, each valued
 * straight from the problem's definition (the capacitated one by its own small max-flow), sharing no
 * code with the solvers. Also a seeded generator of random problems on a square of walkable land.
 */
import type { SitingModel, SitingProblem } from '../../src/lib/planning/siting/problem';

/** Walking time over the straight-line distance: 1.1 m/s along streets 1.25 times longer than the crow flies. */
const SECONDS_PER_METRE = 1.25 / 1.1;

/** mulberry32: a small, well-mixed 32-bit generator (Tommy Ettinger, public domain). */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface RandomProblemOptions {
	seed: number;
	demand: number;
	candidates: number;
	/** Side of the square, in metres. */
	sideMeters: number;
	coverSeconds: number;
	/** Pairs beyond this are left out of the matrix, as buildSitingProblem does. */
	limitSeconds: number;
	/** Open facilities already in place. */
	existing: number;
	/** Capacity range of the candidates, when the problem should have capacities. */
	capacity?: [number, number];
}

/** A random problem: weights 1 … 20 residents, points and sites uniform over the square. */
export function randomSitingProblem(options: RandomProblemOptions): SitingProblem {
	const random = seededRandom(options.seed);
	const point = () => [random() * options.sideMeters, random() * options.sideMeters];
	const demand = Array.from({ length: options.demand }, point);
	const sites = Array.from({ length: options.candidates }, point);
	const open = Array.from({ length: options.existing }, point);
	const seconds = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]) * SECONDS_PER_METRE;
	const reachOffsets = new Int32Array(sites.length + 1);
	const reachDemand: number[] = [];
	const reachSeconds: number[] = [];
	sites.forEach((site, j) => {
		demand.forEach((d, i) => {
			const t = seconds(site, d);
			if (t <= options.limitSeconds) {
				reachDemand.push(i);
				reachSeconds.push(t);
			}
		});
		reachOffsets[j + 1] = reachDemand.length;
	});
	const existingSeconds = Float64Array.from(demand, (d) => {
		const t = Math.min(Infinity, ...open.map((o) => seconds(o, d)));
		return t <= options.limitSeconds ? t : Infinity;
	});
	const [low, high] = options.capacity ?? [0, 0];
	const capacities = options.capacity
		? Float64Array.from(sites, () => low + Math.floor(random() * (high - low + 1)))
		: undefined;
	return {
		demandWeights: Float64Array.from(demand, () => 1 + Math.floor(random() * 20)),
		candidateCount: sites.length,
		reachOffsets,
		reachDemand: Int32Array.from(reachDemand),
		reachSeconds: Float64Array.from(reachSeconds),
		existingSeconds,
		coverSeconds: options.coverSeconds,
		unreachedSeconds: options.limitSeconds,
		capacities
	};
}

/** Walking seconds from candidate j to demand point i, Infinity when the matrix has no such pair. */
function pairSeconds(problem: SitingProblem, j: number, i: number): number {
	for (let r = problem.reachOffsets[j]; r < problem.reachOffsets[j + 1]; r++) {
		if (problem.reachDemand[r] === i) return problem.reachSeconds[r];
	}
	return Infinity;
}

const isCovered = (problem: SitingProblem, i: number, sites: number[]) =>
	problem.existingSeconds[i] <= problem.coverSeconds ||
	sites.some((j) => pairSeconds(problem, j, i) <= problem.coverSeconds);

/** Residents newly covered by the sites, every site covering whatever it reaches. */
export function newlyCoveredWeight(problem: SitingProblem, sites: number[]): number {
	let total = 0;
	problem.demandWeights.forEach((w, i) => {
		if (problem.existingSeconds[i] > problem.coverSeconds && isCovered(problem, i, sites)) total += w;
	});
	return total;
}

/**
 * Residents newly covered when each site serves at most its capacity: a maximum flow source → site →
 * demand point → sink, by augmenting paths on a dense residual matrix (Edmonds & Karp 1972).
 */
export function servedWeight(problem: SitingProblem, sites: number[]): number {
	const demand = problem.demandWeights.length;
	const size = sites.length + demand + 2;
	const source = size - 2;
	const sink = size - 1;
	const residual = Array.from({ length: size }, () => new Float64Array(size));
	sites.forEach((j, s) => {
		residual[source][s] = problem.capacities![j];
		for (let i = 0; i < demand; i++) {
			if (
				problem.existingSeconds[i] > problem.coverSeconds &&
				pairSeconds(problem, j, i) <= problem.coverSeconds
			) {
				residual[s][sites.length + i] = Infinity;
			}
		}
	});
	problem.demandWeights.forEach((w, i) => (residual[sites.length + i][sink] = w));
	let total = 0;
	for (;;) {
		const parent = new Int32Array(size).fill(-1);
		parent[source] = source;
		const queue = [source];
		while (queue.length > 0 && parent[sink] < 0) {
			const u = queue.shift()!;
			for (let v = 0; v < size; v++) {
				if (parent[v] < 0 && residual[u][v] > 1e-12) {
					parent[v] = u;
					queue.push(v);
				}
			}
		}
		if (parent[sink] < 0) return total;
		let amount = Infinity;
		for (let v = sink; v !== source; v = parent[v]) amount = Math.min(amount, residual[parent[v]][v]);
		for (let v = sink; v !== source; v = parent[v]) {
			residual[parent[v]][v] -= amount;
			residual[v][parent[v]] += amount;
		}
		total += amount;
	}
}

/** Σ residents × seconds to the nearest open or chosen site, capped at the unreached cost. */
export function weightedSeconds(problem: SitingProblem, sites: number[]): number {
	let total = 0;
	problem.demandWeights.forEach((w, i) => {
		const t = Math.min(
			problem.existingSeconds[i],
			problem.unreachedSeconds,
			...sites.map((j) => pairSeconds(problem, j, i))
		);
		total += w * t;
	});
	return total;
}

function* subsets(n: number, size: number, from = 0): Generator<number[]> {
	if (size === 0) {
		yield [];
		return;
	}
	for (let j = from; j <= n - size; j++) for (const rest of subsets(n, size - 1, j + 1)) yield [j, ...rest];
}

/** The optimal objective of the model over all subsets of candidates (its best subset too). */
export function exhaustiveOptimum(
	problem: SitingProblem,
	model: SitingModel
): { objective: number; sites: number[] } {
	const n = problem.candidateCount;
	if (model.kind === 'lscp') {
		const total = problem.demandWeights.reduce((a, b) => a + b, 0);
		for (let size = 0; size <= n; size++) {
			for (const sites of subsets(n, size)) {
				let covered = 0;
				problem.demandWeights.forEach((w, i) => {
					if (isCovered(problem, i, sites)) covered += w;
				});
				if (covered >= model.targetShare * total - 1e-9) return { objective: size, sites };
			}
		}
		throw new Error('target unreachable');
	}
	const value =
		model.kind === 'pmedian'
			? (sites: number[]) => -weightedSeconds(problem, sites)
			: model.capacitated
				? (sites: number[]) => servedWeight(problem, sites)
				: (sites: number[]) => newlyCoveredWeight(problem, sites);
	let best = { objective: -Infinity, sites: [] as number[] };
	for (const sites of subsets(n, model.p)) {
		const objective = value(sites);
		if (objective > best.objective + 1e-9) best = { objective, sites };
	}
	return model.kind === 'pmedian' ? { objective: -best.objective, sites: best.sites } : best;
}

/**
 * A hand-made problem from a walking-time table: times[j][i] is candidate j to demand point i in
 * seconds, Infinity when the matrix has no such pair.
 */
export function sitingProblemFromTimes(
	times: number[][],
	options: {
		weights: number[];
		coverSeconds: number;
		unreachedSeconds: number;
		existingSeconds?: number[];
		capacities?: number[];
	}
): SitingProblem {
	const reachOffsets = new Int32Array(times.length + 1);
	const reachDemand: number[] = [];
	const reachSeconds: number[] = [];
	times.forEach((row, j) => {
		row.forEach((t, i) => {
			if (Number.isFinite(t)) {
				reachDemand.push(i);
				reachSeconds.push(t);
			}
		});
		reachOffsets[j + 1] = reachDemand.length;
	});
	return {
		demandWeights: Float64Array.from(options.weights),
		candidateCount: times.length,
		reachOffsets,
		reachDemand: Int32Array.from(reachDemand),
		reachSeconds: Float64Array.from(reachSeconds),
		existingSeconds: Float64Array.from(options.existingSeconds ?? options.weights.map(() => Infinity)),
		coverSeconds: options.coverSeconds,
		unreachedSeconds: options.unreachedSeconds,
		capacities: options.capacities && Float64Array.from(options.capacities)
	};
}
