import { booleanPointInPolygon, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { buildWalkGraph, haversineMeters } from '../../src/lib/routing/walk-graph';
import { walkingArea } from '../../src/lib/routing/walking-area';

/** A 9 × 9 lattice of streets 100 m apart (0.001° of latitude ≈ 111 m, of longitude ≈ 101 m here). */
const STEP = 0.001;
const nodes = Array.from({ length: 81 }, (_, i) => ({
	lon: 118.1 + (i % 9) * STEP,
	lat: 24.45 + Math.floor(i / 9) * STEP
}));
const edges = nodes.flatMap((n, i) => {
	const out = [];
	const len = (j: number) => haversineMeters([n.lon, n.lat], [nodes[j].lon, nodes[j].lat]);
	if (i % 9 < 8) out.push({ from: i, to: i + 1, lengthM: len(i + 1) });
	if (i < 72) out.push({ from: i, to: i + 9, lengthM: len(i + 9) });
	return out;
});
const graph = buildWalkGraph(nodes, edges);
const centre: [number, number] = [nodes[40].lon, nodes[40].lat];

describe('walkingArea', () => {
	it('holds the corners of the blocks reached in time and leaves out those beyond', () => {
		// 5 minutes at 1 m/s: 300 m of streets, three blocks along one street or fewer round a corner.
		const area = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 300, maxEdgeKm: 0.25 })!;
		const inside = (i: number) => booleanPointInPolygon(point([nodes[i].lon, nodes[i].lat]), area);
		expect(inside(40)).toBe(true);
		expect(inside(42)).toBe(true); // 2 blocks east, ~200 m
		expect(inside(31)).toBe(true); // 1 block south, ~111 m
		expect(inside(44)).toBe(false); // 4 blocks east, ~400 m
		expect(inside(0)).toBe(false); // the far corner
	});

	it('grows with the time allowed', () => {
		const near = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 300 })!;
		const far = walkingArea(graph, centre, { speedMps: 1, limitSeconds: 900 })!;
		const inside = (area: typeof near, i: number) =>
			booleanPointInPolygon(point([nodes[i].lon, nodes[i].lat]), area);
		expect(inside(near, 44)).toBe(false);
		expect(inside(far, 44)).toBe(true);
	});

	it('has no area for a point too far from any street', () => {
		expect(walkingArea(graph, [118.3, 24.6], { speedMps: 1, limitSeconds: 900 })).toBeNull();
	});
});
