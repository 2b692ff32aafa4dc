/**
 * Walking times on a street network, as pure functions over an in-memory graph: build it once from
 * the stored network, then snap points to it and run Dijkstra from one source with a time limit.
 * Walkway edges cost length / speed; ferry edges a fixed time (waiting plus crossing).
 */

export interface GraphNode {
	lon: number;
	lat: number;
}

export interface GraphEdge {
	from: number;
	to: number;
	lengthM: number;
	/** A fixed crossing time (ferries); walkways leave it null and are walked at the search's speed. */
	seconds?: number | null;
}

export interface WalkGraph {
	nodeCount: number;
	lon: Float64Array;
	lat: Float64Array;
	/** Compressed adjacency: node i's neighbours are targets[offsets[i] .. offsets[i + 1]). */
	offsets: Int32Array;
	targets: Int32Array;
	meters: Float64Array;
	/** NaN for a walkway; the fixed seconds for a ferry. */
	fixedSeconds: Float64Array;
	/** Which of the input edges each adjacency slot came from. */
	edgeOfSlot: Int32Array;
	/** Nodes bucketed by grid cell, for snapping. */
	cells: Map<string, number[]>;
}

/** A brisk adult's pace (4.7 km/h), used for responders on their way to a home. */
export const RESPONDER_SPEED_MPS = 1.3;
const CELL_DEGREES = 0.002;
const EARTH_RADIUS_M = 6_371_008.8;

export function haversineMeters(a: [number, number], b: [number, number]): number {
	const rad = Math.PI / 180;
	const dLat = (b[1] - a[1]) * rad;
	const dLon = (b[0] - a[0]) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

const cellKey = (x: number, y: number) => `${x}:${y}`;
const cellOf = (lon: number, lat: number) => [Math.floor(lon / CELL_DEGREES), Math.floor(lat / CELL_DEGREES)];

/** Builds an undirected graph; edges referring to missing nodes are an error, not silently dropped. */
export function buildWalkGraph(nodes: GraphNode[], edges: GraphEdge[]): WalkGraph {
	const n = nodes.length;
	const degree = new Int32Array(n + 1);
	for (const e of edges) {
		if (!(e.from >= 0 && e.from < n && e.to >= 0 && e.to < n))
			throw new Error(`edge ${e.from}–${e.to} refers to a node outside 0…${n - 1}`);
		degree[e.from]++;
		degree[e.to]++;
	}
	const offsets = new Int32Array(n + 1);
	for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i];
	const fill = offsets.slice(0, n);
	const targets = new Int32Array(offsets[n]);
	const meters = new Float64Array(offsets[n]);
	const fixedSeconds = new Float64Array(offsets[n]);
	const edgeOfSlot = new Int32Array(offsets[n]);
	const add = (from: number, to: number, e: GraphEdge, index: number) => {
		const slot = fill[from]++;
		targets[slot] = to;
		meters[slot] = e.lengthM;
		fixedSeconds[slot] = e.seconds ?? NaN;
		edgeOfSlot[slot] = index;
	};
	edges.forEach((e, index) => {
		add(e.from, e.to, e, index);
		add(e.to, e.from, e, index);
	});
	const lon = Float64Array.from(nodes, (node) => node.lon);
	const lat = Float64Array.from(nodes, (node) => node.lat);
	const cells = new Map<string, number[]>();
	nodes.forEach((node, i) => {
		const key = cellKey(...(cellOf(node.lon, node.lat) as [number, number]));
		const bucket = cells.get(key);
		if (bucket) bucket.push(i);
		else cells.set(key, [i]);
	});
	return { nodeCount: n, lon, lat, offsets, targets, meters, fixedSeconds, edgeOfSlot, cells };
}

/**
 * The network node nearest to a point (searching outwards ring by ring, up to `maxMeters`), and how
 * far the point is from it; null when there is none that close.
 */
export function nearestNode(
	graph: WalkGraph,
	point: [number, number],
	maxMeters = 2000
): { node: number; meters: number } | null {
	const [cx, cy] = cellOf(point[0], point[1]);
	const cellMeters = CELL_DEGREES * 111_000 * Math.cos((point[1] * Math.PI) / 180);
	const maxRing = Math.ceil(maxMeters / cellMeters) + 1;
	let best: { node: number; meters: number } | null = null;
	for (let ring = 0; ring <= maxRing; ring++) {
		// Anything in this ring or beyond is at least (ring - 1) cells away.
		if (best && (ring - 1) * cellMeters > best.meters) break;
		for (let x = cx - ring; x <= cx + ring; x++) {
			for (let y = cy - ring; y <= cy + ring; y++) {
				if (Math.max(Math.abs(x - cx), Math.abs(y - cy)) !== ring) continue;
				for (const node of graph.cells.get(cellKey(x, y)) ?? []) {
					const meters = haversineMeters(point, [graph.lon[node], graph.lat[node]]);
					if (meters <= maxMeters && (!best || meters < best.meters)) best = { node, meters };
				}
			}
		}
	}
	return best;
}

export interface WalkingTree {
	seconds: Float64Array;
	meters: Float64Array;
	/** The adjacency slot by which each node was reached (-1 for the sources and unreached nodes). */
	via: Int32Array;
	/** The node each was reached from (-1 likewise). */
	previous: Int32Array;
	/** Which source each node's shortest path starts at (an index into the sources; -1 when unreached). */
	origin: Int32Array;
}

/** Where a search starts: a node, with the time (and distance) already spent getting onto it. */
export interface SearchSource {
	node: number;
	seconds: number;
	meters?: number;
}

/**
 * Seconds from `source` to every node within `limitSeconds` at `speedMps` (Infinity beyond), the
 * metres walked (or sailed) on the way and the tree of shortest paths, by Dijkstra with a binary
 * heap. With `target`, it stops once the target's time is final.
 */
export function walkingSecondsFrom(
	graph: WalkGraph,
	source: number,
	options: { speedMps: number; limitSeconds: number; target?: number }
): WalkingTree {
	return walkingSecondsFromNearest(graph, [{ node: source, seconds: 0 }], options);
}

/**
 * The same search from several sources at once: every node gets the time from its nearest source
 * (counting the time each source starts with) and which source that is. One search answers "how far
 * is the nearest facility" for every node, instead of one search per facility.
 */
export function walkingSecondsFromNearest(
	graph: WalkGraph,
	sources: SearchSource[],
	options: { speedMps: number; limitSeconds: number; target?: number }
): WalkingTree {
	const seconds = new Float64Array(graph.nodeCount).fill(Infinity);
	const meters = new Float64Array(graph.nodeCount).fill(Infinity);
	const via = new Int32Array(graph.nodeCount).fill(-1);
	const previous = new Int32Array(graph.nodeCount).fill(-1);
	const origin = new Int32Array(graph.nodeCount).fill(-1);
	const heap = new MinHeap();
	sources.forEach((source, index) => {
		if (source.seconds > options.limitSeconds || source.seconds >= seconds[source.node]) return;
		seconds[source.node] = source.seconds;
		meters[source.node] = source.meters ?? 0;
		origin[source.node] = index;
		heap.push(source.node, source.seconds);
	});
	while (heap.size > 0) {
		const [node, at] = heap.pop();
		if (at > seconds[node]) continue; // a stale entry
		if (node === options.target) break;
		for (let slot = graph.offsets[node]; slot < graph.offsets[node + 1]; slot++) {
			const fixed = graph.fixedSeconds[slot];
			const next = at + (Number.isNaN(fixed) ? graph.meters[slot] / options.speedMps : fixed);
			const to = graph.targets[slot];
			if (next < seconds[to] && next <= options.limitSeconds) {
				seconds[to] = next;
				meters[to] = meters[node] + graph.meters[slot];
				via[to] = slot;
				previous[to] = node;
				origin[to] = origin[node];
				heap.push(to, next);
			}
		}
	}
	return { seconds, meters, via, previous, origin };
}

/**
 * The path to `target` in a tree, as the input edges taken in order with the nodes each was walked
 * from and to; null when the target was not reached.
 */
export function pathTo(
	graph: WalkGraph,
	tree: WalkingTree,
	target: number
): { edge: number; from: number; to: number }[] | null {
	if (!Number.isFinite(tree.seconds[target])) return null;
	const steps: { edge: number; from: number; to: number }[] = [];
	for (let node = target; tree.via[node] !== -1; node = tree.previous[node]) {
		steps.push({ edge: graph.edgeOfSlot[tree.via[node]], from: tree.previous[node], to: node });
	}
	return steps.reverse();
}

export interface WalkingTime {
	seconds: number;
	meters: number;
	method: 'network' | 'straight_line';
}

/**
 * Walking times from one point to many: both ends are snapped to the network and the snapping
 * distance is walked too. A point the network does not reach within the limit gets Infinity. Where
 * there is no network, or a point lies too far from it to snap, the straight-line time stands in,
 * marked as such, so a caller can still rank it but must label it.
 */
export function walkingTimesFrom(
	graph: WalkGraph | null,
	origin: [number, number],
	options: { speedMps: number; limitSeconds: number }
): (point: [number, number]) => WalkingTime {
	const straight = (point: [number, number]): WalkingTime => {
		const meters = haversineMeters(origin, point);
		return { seconds: meters / options.speedMps, meters, method: 'straight_line' };
	};
	const start = graph && nearestNode(graph, origin);
	if (!graph || !start) return straight;
	const tree = walkingSecondsFrom(graph, start.node, options);
	return (point) => {
		const end = nearestNode(graph, point);
		if (!end) return straight(point);
		// On the network but not reached within the limit (or not at all): out of reach, not a fallback.
		if (!Number.isFinite(tree.seconds[end.node]))
			return { seconds: Infinity, meters: Infinity, method: 'network' };
		const snapping = start.meters + end.meters;
		return {
			seconds: tree.seconds[end.node] + snapping / options.speedMps,
			meters: tree.meters[end.node] + snapping,
			method: 'network'
		};
	};
}

/** A binary min-heap of (node, key) pairs; duplicates are allowed and skipped when stale. */
class MinHeap {
	private nodes: number[] = [];
	private keys: number[] = [];

	get size() {
		return this.nodes.length;
	}

	push(node: number, key: number) {
		const { nodes, keys } = this;
		let i = nodes.length;
		nodes.push(node);
		keys.push(key);
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (keys[parent] <= key) break;
			nodes[i] = nodes[parent];
			keys[i] = keys[parent];
			i = parent;
		}
		nodes[i] = node;
		keys[i] = key;
	}

	pop(): [number, number] {
		const { nodes, keys } = this;
		const top: [number, number] = [nodes[0], keys[0]];
		const lastNode = nodes.pop()!;
		const lastKey = keys.pop()!;
		if (nodes.length > 0) {
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				if (left >= nodes.length) break;
				const child = left + 1 < nodes.length && keys[left + 1] < keys[left] ? left + 1 : left;
				if (keys[child] >= lastKey) break;
				nodes[i] = nodes[child];
				keys[i] = keys[child];
				i = child;
			}
			nodes[i] = lastNode;
			keys[i] = lastKey;
		}
		return top;
	}
}
