/**
 * Residents of newly covered demand assigned to the open sites that cover them, each site serving at
 * most its capacity and a demand point free to split between sites: a maximum flow from the sites to
 * the demand points, kept maximal by augmenting paths (Ford & Fulkerson 1956), found in phases of
 * blocking flows (Dinic 1970), as sites open and close. Opening a site only needs paths from that
 * site, and closing one only paths from the sites left with spare capacity, because no other
 * augmenting path can appear. The capacitated greedy solver
 * tries its moves on this and rolls back the ones it rejects; the exact solver starts HiGHS from it.
 */
import type { PairIndex } from './pair-index';

/** Residents below this are rounding noise. */
const EPS = 1e-9;

const FLOW = 0;
const USED = 1;
const SERVED = 2;
const OPEN = 3;

export class CoverFlow {
	/** Residents that site pairs.site[pos] serves at demand point pairs.demand[pos]. */
	readonly flow: Float64Array;
	/** Residents served in all: the capacitated objective of the open sites. */
	value = 0;
	private readonly used: Float64Array;
	private readonly served: Float64Array;
	private readonly open: Float64Array;
	private readonly tables: Float64Array[];
	/** Triples (table, index, previous value), undone by rollback. */
	private readonly undo: number[] = [];
	private stamp = 0;
	private readonly siteSeen: Int32Array;
	private readonly demandSeen: Int32Array;
	/** Breadth-first levels and current arcs of Dinic's algorithm. */
	private readonly siteLevel: Int32Array;
	private readonly demandLevel: Int32Array;
	private readonly siteArc: Int32Array;
	private readonly demandArc: Int32Array;
	private readonly queue: Int32Array;

	constructor(
		private readonly pairs: PairIndex,
		private readonly weights: Float64Array,
		private readonly capacities: Float64Array
	) {
		const sites = capacities.length;
		const demand = weights.length;
		this.flow = new Float64Array(pairs.demand.length);
		this.used = new Float64Array(sites);
		this.served = new Float64Array(demand);
		this.open = new Float64Array(sites);
		this.tables = [this.flow, this.used, this.served, this.open];
		this.siteSeen = new Int32Array(sites);
		this.demandSeen = new Int32Array(demand);
		this.siteLevel = new Int32Array(sites);
		this.demandLevel = new Int32Array(demand);
		this.siteArc = new Int32Array(sites);
		this.demandArc = new Int32Array(demand);
		this.queue = new Int32Array(sites);
	}

	/** A state to roll back to; valid until the next commit. */
	checkpoint(): Checkpoint {
		return { undo: this.undo.length, value: this.value };
	}

	rollback(mark: Checkpoint) {
		const { undo } = this;
		while (undo.length > mark.undo) {
			const previous = undo.pop()!;
			const index = undo.pop()!;
			this.tables[undo.pop()!][index] = previous;
		}
		this.value = mark.value;
	}

	/** Keeps every change so far; earlier checkpoints become invalid. */
	commit() {
		this.undo.length = 0;
	}

	openSite(site: number) {
		this.write(OPEN, site, 1);
		this.augmentFrom(site);
	}

	closeSite(site: number) {
		const { siteStart, demand } = this.pairs;
		for (let pos = siteStart[site]; pos < siteStart[site + 1]; pos++) {
			const amount = this.flow[pos];
			if (amount > 0) {
				this.write(SERVED, demand[pos], this.served[demand[pos]] - amount);
				this.write(FLOW, pos, 0);
				this.value -= amount;
			}
		}
		this.write(USED, site, 0);
		this.write(OPEN, site, 0);
		for (let j = 0; j < this.open.length; j++) if (this.open[j] === 1) this.augmentFrom(j);
	}

	private write(table: number, index: number, value: number) {
		const array = this.tables[table];
		this.undo.push(table, index, array[index]);
		array[index] = value;
	}

	private residual(i: number) {
		return this.weights[i] - this.served[i];
	}

	private augmentFrom(site: number) {
		const spareBefore = this.capacities[site] - this.used[site];
		let spare = spareBefore;
		while (spare > EPS && this.level(site)) {
			const pushed = this.pushFromSite(site, spare);
			if (pushed <= 0) break;
			spare -= pushed;
		}
		if (spare !== spareBefore) {
			this.write(USED, site, this.capacities[site] - spare);
			this.value += spareBefore - spare;
		}
	}

	/**
	 * Breadth-first levels of the residual graph from a site: forward along any covering pair, back
	 * from a demand point to an open site that serves it. Returns whether it reaches unserved demand.
	 */
	private level(from: number): boolean {
		const { siteStart, demand, site, demandStart, byDemand } = this.pairs;
		const stamp = ++this.stamp;
		this.siteSeen[from] = stamp;
		this.siteLevel[from] = 0;
		this.siteArc[from] = siteStart[from];
		this.queue[0] = from;
		let tail = 1;
		let found = false;
		for (let head = 0; head < tail; head++) {
			const s = this.queue[head];
			for (let pos = siteStart[s]; pos < siteStart[s + 1]; pos++) {
				const i = demand[pos];
				if (this.demandSeen[i] === stamp) continue;
				this.demandSeen[i] = stamp;
				this.demandLevel[i] = this.siteLevel[s] + 1;
				this.demandArc[i] = demandStart[i];
				if (this.residual(i) > EPS) found = true;
				for (let t = demandStart[i]; t < demandStart[i + 1]; t++) {
					const back = byDemand[t];
					const j = site[back];
					if (this.open[j] === 1 && this.siteSeen[j] !== stamp && this.flow[back] > EPS) {
						this.siteSeen[j] = stamp;
						this.siteLevel[j] = this.demandLevel[i] + 1;
						this.siteArc[j] = siteStart[j];
						this.queue[tail++] = j;
					}
				}
			}
		}
		return found;
	}

	/** A blocking flow of at most `limit` from site s along the levels (Dinic 1970); returns the amount. */
	private pushFromSite(s: number, limit: number): number {
		const { siteStart, demand } = this.pairs;
		let moved = 0;
		for (; this.siteArc[s] < siteStart[s + 1]; this.siteArc[s]++) {
			const pos = this.siteArc[s];
			const i = demand[pos];
			if (this.demandSeen[i] !== this.stamp || this.demandLevel[i] !== this.siteLevel[s] + 1) continue;
			const amount = this.pushFromDemand(i, limit - moved);
			if (amount > 0) {
				this.write(FLOW, pos, this.flow[pos] + amount);
				moved += amount;
				if (limit - moved <= EPS) break;
			}
		}
		return moved;
	}

	/** Serves demand point i's unserved residents, then hands on what sites serving it can take elsewhere. */
	private pushFromDemand(i: number, limit: number): number {
		const { site, demandStart, byDemand } = this.pairs;
		let moved = 0;
		const residual = this.residual(i);
		if (residual > EPS) {
			moved = Math.min(residual, limit);
			this.write(SERVED, i, this.served[i] + moved);
			if (limit - moved <= EPS) return moved;
		}
		for (; this.demandArc[i] < demandStart[i + 1]; this.demandArc[i]++) {
			const back = byDemand[this.demandArc[i]];
			const j = site[back];
			if (
				this.siteSeen[j] !== this.stamp ||
				this.siteLevel[j] !== this.demandLevel[i] + 1 ||
				this.flow[back] <= EPS
			)
				continue;
			const amount = this.pushFromSite(j, Math.min(limit - moved, this.flow[back]));
			if (amount > 0) {
				this.write(FLOW, back, this.flow[back] - amount);
				moved += amount;
				if (limit - moved <= EPS) break;
			}
		}
		return moved;
	}
}

export interface Checkpoint {
	undo: number;
	value: number;
}
