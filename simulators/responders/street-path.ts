/**
 * Walking a simulated responder along the street network, as pure functions: build a graph from the
 * GeoJSON the platform serves (GET /api/districts/{code}/walk-network), find the shortest path from
 * a responder to a home with the platform's own pure routing (src/lib/routing), and say where on
 * that path the responder is after t seconds.
 */
import type { WalkNetworkCollection } from '../../src/lib/geo/features';
import {
	RESPONDER_SPEED_MPS,
	buildWalkGraph,
	haversineMeters,
	nearestNode,
	pathTo,
	walkingSecondsFrom,
	type WalkGraph
} from '../../src/lib/routing/walk-graph';

export type LonLat = [number, number];

export { haversineMeters };

export interface StreetGraph {
	graph: WalkGraph;
	nodes: LonLat[];
	/** Each edge's shape from its first node to its second, and a ferry's fixed time (null for a walkway). */
	edges: { coords: LonLat[]; fixedSeconds: number | null }[];
}

/** A path with a time for every point: where a responder is when, from leaving to arriving. */
export interface Route {
	points: LonLat[];
	/** Seconds from the start at which each point is reached; the last is the whole walk. */
	times: number[];
	meters: number;
	method: 'network' | 'straight_line';
}

/**
 * The graph of the network's edges: lines meeting at the same end coordinate (as served, to 6
 * decimals) share a node. Lines with fewer than two points, or closing on themselves, are skipped.
 */
export function buildStreetGraph(network: Pick<WalkNetworkCollection, 'features'>): StreetGraph {
	const index = new Map<string, number>();
	const nodes: LonLat[] = [];
	const nodeAt = (point: LonLat) => {
		const key = `${point[0].toFixed(6)},${point[1].toFixed(6)}`;
		let node = index.get(key);
		if (node === undefined) {
			node = nodes.length;
			index.set(key, node);
			nodes.push([point[0], point[1]]);
		}
		return node;
	};
	const edges: StreetGraph['edges'] = [];
	const links: { from: number; to: number; lengthM: number; seconds: number | null }[] = [];
	for (const feature of network.features) {
		const coords = feature.geometry.coordinates as LonLat[];
		if (coords.length < 2) continue;
		const from = nodeAt(coords[0]);
		const to = nodeAt(coords[coords.length - 1]);
		if (from === to) continue;
		const fixedSeconds = feature.properties.kind === 'ferry' ? feature.properties.seconds : null;
		links.push({
			from,
			to,
			lengthM: feature.properties.lengthM || pathMeters(coords),
			seconds: fixedSeconds
		});
		edges.push({ coords, fixedSeconds });
	}
	return {
		graph: buildWalkGraph(
			nodes.map(([lon, lat]) => ({ lon, lat })),
			links
		),
		nodes,
		edges
	};
}

/**
 * The route a responder walks from `from` to `to`: to the nearest network node, along the shortest
 * path, then to the door. Without a network, too far from it, or with the two ends in parts the
 * network does not join, a straight line (labelled as such).
 */
export function planRoute(
	street: StreetGraph | null,
	from: LonLat,
	to: LonLat,
	speedMps = RESPONDER_SPEED_MPS
): Route {
	const straight = (): Route => timed([from, to], [null], speedMps, 'straight_line');
	if (!street) return straight();
	const start = nearestNode(street.graph, from);
	const end = nearestNode(street.graph, to);
	if (!start || !end) return straight();
	const tree = walkingSecondsFrom(street.graph, start.node, {
		speedMps,
		limitSeconds: Infinity,
		target: end.node
	});
	const steps = pathTo(street.graph, tree, end.node);
	if (!steps) return straight();
	const points: LonLat[] = [from, street.nodes[start.node]];
	const fixed: (number | null)[] = [null];
	for (const step of steps) {
		const edge = street.edges[step.edge];
		const coords = sameNode(edge.coords[0], street.nodes[step.from])
			? edge.coords
			: [...edge.coords].reverse();
		const linkMeters = pathMeters(coords);
		let previous = points[points.length - 1];
		for (const point of coords.slice(1)) {
			// A ferry's fixed time is spread over its shape by length.
			const share = linkMeters > 0 ? haversineMeters(previous, point) / linkMeters : 1 / (coords.length - 1);
			fixed.push(edge.fixedSeconds === null ? null : edge.fixedSeconds * share);
			points.push(point);
			previous = point;
		}
	}
	points.push(to);
	fixed.push(null);
	return timed(points, fixed, speedMps, 'network');
}

const sameNode = (a: LonLat, b: LonLat) =>
	a[0].toFixed(6) === b[0].toFixed(6) && a[1].toFixed(6) === b[1].toFixed(6);

function timed(
	rawPoints: LonLat[],
	rawFixed: (number | null)[],
	speedMps: number,
	method: Route['method']
): Route {
	// Drop repeated points (a home on a node, a start on a node) so no segment has zero length.
	const points: LonLat[] = [rawPoints[0]];
	const times = [0];
	let meters = 0;
	for (let i = 1; i < rawPoints.length; i++) {
		const step = haversineMeters(points[points.length - 1], rawPoints[i]);
		const fixed = rawFixed[i - 1];
		if (step < 0.01 && fixed === null) continue;
		meters += step;
		points.push(rawPoints[i]);
		times.push(times[times.length - 1] + (fixed ?? step / speedMps));
	}
	return { points, times, meters, method };
}

/** Where on the route the responder is `seconds` after leaving (the start before, the end after). */
export function positionAt(route: Route, seconds: number): LonLat {
	const { points, times } = route;
	if (seconds <= 0 || points.length === 1) return points[0];
	if (seconds >= times[times.length - 1]) return points[points.length - 1];
	let low = 0;
	let high = times.length - 1;
	while (high - low > 1) {
		const mid = (low + high) >> 1;
		if (times[mid] <= seconds) low = mid;
		else high = mid;
	}
	const f = (seconds - times[low]) / (times[high] - times[low]);
	const [a, b] = [points[low], points[high]];
	return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

export function routeSeconds(route: Route): number {
	return route.times[route.times.length - 1];
}

function pathMeters(coords: LonLat[]): number {
	let meters = 0;
	for (let i = 1; i < coords.length; i++) meters += haversineMeters(coords[i - 1], coords[i]);
	return meters;
}
