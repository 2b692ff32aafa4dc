/**
 * A modelled walking network for a district with no street data: a lattice of walkways every
 * `spacingM` metres over each land part (blocks of roughly 100–200 m, like an old town's lanes),
 * with stray pieces joined to their island's main lattice and islands joined by ferry edges.
 * It stands in for the real street network until an OpenStreetMap extract is imported.
 */
import * as turf from '@turf/turf';
import type { Position } from 'geojson';
import type { Area } from './model-regions';

export interface ModelledEdge {
	from: number;
	to: number;
	lengthM: number;
	kind: 'walk' | 'ferry';
	/** Ferry only: waiting plus crossing time. */
	seconds?: number;
}

export interface ModelledNetwork {
	nodes: Position[];
	edges: ModelledEdge[];
}

export interface Ferry {
	name: string;
	from: Position;
	to: Position;
	crossingMinutes: number;
	waitingMinutes: number;
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/**
 * Builds the lattice over every part of `land`, then adds the ferries (each end joined to the
 * nearest lattice node).
 * @example modelWalkNetwork(district, 150, [{ name: 'Gulangyu ferry', from, to, crossingMinutes: 8, waitingMinutes: 10 }])
 */
export function modelWalkNetwork(land: Area, spacingM: number, ferries: Ferry[] = []): ModelledNetwork {
	const parts =
		land.geometry.type === 'MultiPolygon'
			? land.geometry.coordinates.map((rings) => turf.polygon(rings) as Area)
			: [land];
	const nodes: Position[] = [];
	const edges: ModelledEdge[] = [];
	const partOfNode: number[] = [];
	parts.forEach((part, p) => {
		latticeOver(part, spacingM, nodes, edges);
		while (partOfNode.length < nodes.length) partOfNode.push(p);
	});
	for (const ferry of ferries) {
		// A ferry crosses water: its far end is the nearest node on another land part.
		const a = nearestNode(nodes, ferry.from, () => true);
		const b = nearestNode(nodes, ferry.to, (i) => partOfNode[i] !== partOfNode[a]);
		edges.push({
			from: a,
			to: b,
			lengthM: Math.round(turf.distance(nodes[a], nodes[b], { units: 'meters' })),
			kind: 'ferry',
			seconds: (ferry.crossingMinutes + ferry.waitingMinutes) * 60
		});
	}
	return { nodes, edges };
}

function latticeOver(part: Area, spacingM: number, nodes: Position[], edges: ModelledEdge[]): void {
	const [minX, minY, maxX, maxY] = turf.bbox(part);
	const dLat = spacingM / 110_574;
	const dLon = spacingM / (111_320 * Math.cos((((minY + maxY) / 2) * Math.PI) / 180));
	const index = new Map<string, number>();
	const first = nodes.length;
	for (let ix = 0; minX + ix * dLon <= maxX; ix++) {
		for (let iy = 0; minY + iy * dLat <= maxY; iy++) {
			const p: Position = [round6(minX + (ix + 0.5) * dLon), round6(minY + (iy + 0.5) * dLat)];
			if (!turf.booleanPointInPolygon(p, part)) continue;
			index.set(`${ix},${iy}`, nodes.length);
			nodes.push(p);
		}
	}
	const edgeStart = edges.length;
	for (const [key, a] of index) {
		const [ix, iy] = key.split(',').map(Number);
		for (const [nx, ny] of [
			[ix + 1, iy],
			[ix, iy + 1]
		]) {
			const b = index.get(`${nx},${ny}`);
			if (b === undefined) continue;
			// A walkway may not cross water: its midpoint must be on land too.
			const mid = [(nodes[a][0] + nodes[b][0]) / 2, (nodes[a][1] + nodes[b][1]) / 2];
			if (!turf.booleanPointInPolygon(mid, part)) continue;
			edges.push({ from: a, to: b, lengthM: spacingM, kind: 'walk' });
		}
	}
	if (nodes.length === first) {
		// A part smaller than one block still gets one node so its residents can reach the network.
		nodes.push(turf.pointOnFeature(part).geometry.coordinates.map(round6));
		return;
	}
	joinStrayPieces(nodes, edges, first, edgeStart);
}

/** Joins every piece of this part's lattice to the largest piece by its shortest link. */
function joinStrayPieces(nodes: Position[], edges: ModelledEdge[], first: number, edgeStart: number): void {
	const count = nodes.length - first;
	const parent = Array.from({ length: count }, (_, i) => i);
	const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
	for (let e = edgeStart; e < edges.length; e++)
		parent[find(edges[e].from - first)] = find(edges[e].to - first);
	const pieces = new Map<number, number[]>();
	for (let i = 0; i < count; i++) pieces.set(find(i), [...(pieces.get(find(i)) ?? []), i + first]);
	const ordered = [...pieces.values()].sort((a, b) => b.length - a.length);
	const main = ordered[0];
	for (const piece of ordered.slice(1)) {
		let best = { a: 0, b: 0, d: Infinity };
		for (const a of piece) {
			for (const b of main) {
				const d = turf.distance(nodes[a], nodes[b], { units: 'meters' });
				if (d < best.d) best = { a, b, d };
			}
		}
		edges.push({ from: best.a, to: best.b, lengthM: Math.round(best.d), kind: 'walk' });
		main.push(...piece);
	}
}

function nearestNode(nodes: Position[], p: Position, eligible: (index: number) => boolean): number {
	let best = -1;
	let bestD = Infinity;
	nodes.forEach((n, i) => {
		if (!eligible(i)) return;
		const d = (n[0] - p[0]) ** 2 + (n[1] - p[1]) ** 2;
		if (d < bestD) [best, bestD] = [i, d];
	});
	if (best < 0) throw new Error(`no land node near ${p.join(',')} to moor a ferry`);
	return best;
}
