import { bbox, booleanPointInPolygon, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import {
	buildWalkGraph,
	haversineMeters,
	type GraphEdge,
	type GraphNode
} from '../../src/lib/routing/walk-graph';
import { walkingArea } from '../../src/lib/routing/walking-area';

/** Streets 0.001° apart (≈ 101 m east–west, ≈ 111 m north–south here), `size` × `size` nodes from a corner. */
const STEP = 0.001;
function lattice(
	size: number,
	lon0: number,
	lat0: number,
	first = 0
): { nodes: GraphNode[]; edges: GraphEdge[] } {
	const nodes = Array.from({ length: size * size }, (_, i) => ({
		lon: lon0 + (i % size) * STEP,
		lat: lat0 + Math.floor(i / size) * STEP
	}));
	const edges: GraphEdge[] = [];
	const len = (a: number, b: number) =>
		haversineMeters([nodes[a].lon, nodes[a].lat], [nodes[b].lon, nodes[b].lat]);
	nodes.forEach((_, i) => {
		if (i % size < size - 1) edges.push({ from: first + i, to: first + i + 1, lengthM: len(i, i + 1) });
		if (i < size * (size - 1))
			edges.push({ from: first + i, to: first + i + size, lengthM: len(i, i + size) });
	});
	return { nodes, edges };
}

/** A 9 × 9 lattice; node 40 is its centre, node i + 1 the next one east, i + 9 the next one north. */
const city = lattice(9, 118.1, 24.45);
const graph = buildWalkGraph(city.nodes, city.edges);
const at = (i: number): [number, number] => [city.nodes[i].lon, city.nodes[i].lat];
const centre = at(40);
const meters = (a: number, b: number) => haversineMeters(at(a), at(b));

/*
 * Two islands east of a 3 × 3 mainland (nodes 0–8), both across about 900 m of water: the ferry
 * island (9–17) is reached by a ferry from mainland node 5 (its east middle) to island node 12 (its
 * west middle), 300 s with waiting; the far island (18–26) has no link at all.
 */
const mainland = lattice(3, 118.1, 24.45);
const ferryIsland = lattice(3, 118.111, 24.45, 9);
const farIsland = lattice(3, 118.111, 24.47, 18);
const archipelago = buildWalkGraph(
	[...mainland.nodes, ...ferryIsland.nodes, ...farIsland.nodes],
	[
		...mainland.edges,
		...ferryIsland.edges,
		...farIsland.edges,
		{ from: 5, to: 12, lengthM: 900, seconds: 300 }
	]
);
const shoreAt = (i: number): [number, number] => [mainland.nodes[i].lon, mainland.nodes[i].lat];
const islandNode = (i: number): [number, number] => [
	ferryIsland.nodes[i - 9].lon,
	ferryIsland.nodes[i - 9].lat
];
const inside = (area: Parameters<typeof booleanPointInPolygon>[1], p: [number, number]) =>
	booleanPointInPolygon(point(p), area);

describe('walkingArea', () => {
	it('holds the corners of the blocks reached in time and leaves out those beyond', () => {
		// 5 minutes at 1 m/s: 300 m of streets, two blocks east and a bit, fewer round a corner.
		const { area } = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 300, maxEdgeKm: 0.25 })!;
		expect(inside(area, at(40))).toBe(true);
		expect(inside(area, at(42))).toBe(true); // 2 blocks east, ~202 m
		expect(inside(area, at(31))).toBe(true); // 1 block south, ~111 m
		expect(inside(area, at(44))).toBe(false); // 4 blocks east, ~404 m
		expect(inside(area, at(0))).toBe(false); // the far corner
	});

	it('ends where the walk ends along a street, not at the last corner reached', () => {
		// 250 s: node 42 is reached after ~202 m, and the last ~48 m lead towards node 43.
		const { area } = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 250, maxEdgeKm: 0.25 })!;
		const left = 250 - meters(40, 41) - meters(41, 42);
		const east = at(42)[0] + STEP * (left / meters(42, 43));
		expect(bbox(area)[2]).toBeCloseTo(east, 9);
		expect(inside(area, [at(42)[0] + STEP * 0.3, centre[1]])).toBe(true); // ~232 m along the street
		expect(inside(area, [at(42)[0] + STEP * 0.7, centre[1]])).toBe(false); // ~272 m
	});

	it('grows with the time allowed', () => {
		const near = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 300 })!;
		const far = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 900 })!;
		expect(inside(near.area, at(44))).toBe(false);
		expect(inside(far.area, at(44))).toBe(true);
	});

	it('reports how far the origin is from the node it was snapped to, and walks that first', () => {
		const origin: [number, number] = [centre[0] + STEP * 0.3, centre[1]]; // ~30 m east of node 40
		const snapped = walkingArea(graph, origin, { speedMps: 1, limitSeconds: 250, maxEdgeKm: 0.25 })!;
		expect(snapped.snapMeters).toBeCloseTo(haversineMeters(origin, centre), 6);
		const onNode = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 250, maxEdgeKm: 0.25 })!;
		expect(onNode.snapMeters).toBe(0);
		expect(bbox(snapped.area)[2]).toBeLessThan(bbox(onNode.area)[2]);
	});

	it('reaches an island across the water only by its ferry, and only once the crossing is done', () => {
		// Mainland centre (4) → 5 is ~101 m, the ferry 300 s, so the island landing (12) is reached at ~401 s.
		const before = walkingArea(archipelago, shoreAt(4), { speedMps: 1, limitSeconds: 380 })!;
		expect(inside(before.area, islandNode(12))).toBe(false);
		expect(before.area.geometry.type).toBe('Polygon');
		const after = walkingArea(archipelago, shoreAt(4), { speedMps: 1, limitSeconds: 600 })!;
		expect(inside(after.area, islandNode(12))).toBe(true);
		expect(inside(after.area, islandNode(13))).toBe(true); // one block on from the landing
		// Two parts, with the water between them left out.
		expect(after.area.geometry.type).toBe('MultiPolygon');
		expect(inside(after.area, [118.106, 24.451])).toBe(false);
	});

	it('never reaches an island the network does not link to', () => {
		const { area } = walkingArea(archipelago, shoreAt(4), { speedMps: 1, limitSeconds: 3600 })!;
		for (const node of farIsland.nodes) expect(inside(area, [node.lon, node.lat])).toBe(false);
	});

	it('has no area for a point too far from any street', () => {
		expect(walkingArea(graph, [118.3, 24.6], { speedMps: 1, limitSeconds: 900 })).toBeNull();
		// ~300 m off the lattice: within snapping range only when the caller allows it.
		const offshore: [number, number] = [at(8)[0] + STEP * 3, at(8)[1]];
		expect(walkingArea(graph, offshore, { speedMps: 1, limitSeconds: 900, maxSnapMeters: 200 })).toBeNull();
		expect(walkingArea(graph, offshore, { speedMps: 1, limitSeconds: 900 })).not.toBeNull();
	});

	it('has no area when the walk to the network uses up the time, or there is no network', () => {
		const offshore: [number, number] = [at(8)[0] + STEP * 3, at(8)[1]];
		expect(walkingArea(graph, offshore, { speedMps: 1, limitSeconds: 120 })).toBeNull();
		expect(walkingArea(buildWalkGraph([], []), centre, { speedMps: 1, limitSeconds: 900 })).toBeNull();
	});
});
