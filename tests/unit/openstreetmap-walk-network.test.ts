import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOsm } from '../../src/lib/server/imports/openstreetmap/read-osm';
import {
	buildWalkNetwork,
	connectedComponents,
	isWalkable
} from '../../src/lib/server/imports/openstreetmap/walk-network';

const tiny = readOsm(
	readFileSync(path.resolve(import.meta.dirname, '../fixtures/openstreetmap/tiny.osm')),
	'xml'
);
const MONACO = path.resolve(import.meta.dirname, '../../../shared/data/osm/monaco.osm.pbf');

/** Edges as "osmA-osmB" pairs, each written low id first. */
function edgePairs(network: ReturnType<typeof buildWalkNetwork>, kind: 'walk' | 'ferry') {
	return network.edges
		.filter((e) => e.kind === kind)
		.map((e) => [network.nodes[e.from].osmId, network.nodes[e.to].osmId].sort((a, b) => a - b).join('-'))
		.sort();
}

describe('buildWalkNetwork', () => {
	const network = buildWalkNetwork(tiny);

	it('splits walkable ways at intersections into edges between intersection and end nodes', () => {
		expect(edgePairs(network, 'walk')).toEqual(['1-2', '2-3', '2-4', '2-5', '21-23', '3-6']);
		expect(network.nodes.map((n) => n.osmId).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 21, 23]);
	});

	it('drops motorways, foot=no paths and a primary road tagged sidewalk=no but keeps one with a sidewalk', () => {
		expect(network.edges.map((e) => e.wayId)).not.toContain(103);
		expect(network.edges.map((e) => e.wayId)).not.toContain(104);
		expect(network.edges.map((e) => e.wayId)).not.toContain(105);
		expect(network.edges.map((e) => e.wayId)).toContain(102);
		expect(network.stats).toMatchObject({ ways: 9, walkableWays: 5, ferryWays: 1, skippedWays: 3 });
	});

	it('ignores one-way tags on foot: a one-way street is one undirected edge per segment', () => {
		expect(network.edges.filter((e) => e.wayId === 101)).toHaveLength(2);
	});

	it('turns a ferry route into one edge costing waiting plus crossing time', () => {
		const [ferry] = network.edges.filter((e) => e.kind === 'ferry');
		expect(edgePairs(network, 'ferry')).toEqual(['1-21']);
		expect(ferry.lengthM).toBeGreaterThan(1000);
		expect(ferry.lengthM).toBeLessThan(1030);
		expect(ferry.seconds).toBe(Math.round(600 + ferry.lengthM / (15 / 3.6)));
		expect(ferry.coords).toHaveLength(3);
	});

	it('measures edges in metres along their shape', () => {
		const edge = network.edges.find((e) => e.wayId === 100 && network.nodes[e.from].osmId === 1)!;
		// 0.001° of longitude at 24.45°N ≈ 101.3 m.
		expect(edge.lengthM).toBeCloseTo(101.3, 0);
	});

	it('survives a way that names a node the extract lacks, and counts it', () => {
		expect(network.stats.missingNodeRefs).toBe(1);
		expect(network.edges.filter((e) => e.wayId === 108)).toEqual([]);
	});

	it('keeps an island apart until the ferry joins it', () => {
		expect(new Set(connectedComponents(network)).size).toBe(1);
		const walkOnly = { nodes: network.nodes, edges: network.edges.filter((e) => e.kind === 'walk') };
		expect(new Set(connectedComponents(walkOnly)).size).toBe(2);
	});

	it('uses the ferry waiting time and speed it is given', () => {
		const slow = buildWalkNetwork(tiny, { ferryWaitMinutes: 30, ferrySpeedKmh: 5 });
		const [ferry] = slow.edges.filter((e) => e.kind === 'ferry');
		expect(ferry.seconds).toBe(Math.round(1800 + ferry.lengthM / (5 / 3.6)));
		expect(slow.edges.filter((e) => e.kind === 'walk').every((e) => e.seconds === undefined)).toBe(true);
	});

	it('cuts a closed footway with no junction in two instead of a loop from a node to itself', () => {
		const ring = buildWalkNetwork({
			nodes: new Map([
				[1, [0, 0]],
				[2, [0.001, 0]],
				[3, [0.001, 0.001]],
				[4, [0, 0.001]]
			]),
			ways: [{ id: 9, refs: [1, 2, 3, 4, 1], tags: { highway: 'footway' } }],
			relations: [],
			pois: []
		});
		expect(ring.edges).toHaveLength(2);
		expect(ring.edges.every((e) => e.from !== e.to)).toBe(true);
		expect(ring.edges.reduce((sum, e) => sum + e.lengthM, 0)).toBeCloseTo(4 * 111.2, 0);
	});

	it('walks untagged arterials only when told to assume they have sidewalks', () => {
		const osm = {
			nodes: new Map<number, [number, number]>([
				[1, [0, 0]],
				[2, [0.001, 0]]
			]),
			ways: [{ id: 7, refs: [1, 2], tags: { highway: 'secondary' } }],
			relations: [],
			pois: []
		};
		expect(buildWalkNetwork(osm).edges).toHaveLength(0);
		expect(buildWalkNetwork(osm, { assumeSidewalks: true }).edges).toHaveLength(1);
	});

	it.skipIf(!existsSync(MONACO))(
		'builds a network from a real extract (Monaco) that holds together once arterials count as walkable',
		() => {
			const osm = readOsm(readFileSync(MONACO), 'pbf');
			const largestShare = (network: ReturnType<typeof buildWalkNetwork>) => {
				const sizes = new Map<number, number>();
				for (const c of connectedComponents(network)) sizes.set(c, (sizes.get(c) ?? 0) + 1);
				return Math.max(...sizes.values()) / network.nodes.length;
			};
			const strict = buildWalkNetwork(osm);
			expect(strict.edges.length).toBeGreaterThan(3_000);
			// Monaco tags no sidewalks on its main roads, so the strict rule leaves islands behind.
			expect(largestShare(strict)).toBeLessThan(0.8);
			expect(largestShare(buildWalkNetwork(osm, { assumeSidewalks: true }))).toBeGreaterThan(0.9);
		}
	);
});

describe('isWalkable', () => {
	it('keeps primary roads with a sidewalk or foot access and drops them otherwise', () => {
		expect(isWalkable({ highway: 'primary', sidewalk: 'both' })).toBe(true);
		expect(isWalkable({ highway: 'tertiary_link', 'sidewalk:right': 'yes' })).toBe(true);
		expect(isWalkable({ highway: 'trunk', foot: 'designated' })).toBe(true);
		expect(isWalkable({ highway: 'secondary' })).toBe(false);
		expect(isWalkable({ highway: 'primary', sidewalk: 'separate' })).toBe(false);
		expect(isWalkable({ highway: 'primary', sidewalk: 'no' }, true)).toBe(false);
		expect(isWalkable({ highway: 'trunk' }, true)).toBe(false);
	});

	it('drops motorways, unbuilt roads, areas and ways closed to people on foot', () => {
		expect(isWalkable({ highway: 'motorway', sidewalk: 'both' })).toBe(false);
		expect(isWalkable({ highway: 'motorway_link' })).toBe(false);
		expect(isWalkable({ highway: 'construction' })).toBe(false);
		expect(isWalkable({ highway: 'proposed' })).toBe(false);
		expect(isWalkable({ highway: 'pedestrian', area: 'yes' })).toBe(false);
		expect(isWalkable({ highway: 'cycleway', foot: 'no' })).toBe(false);
		expect(isWalkable({ highway: 'footway', access: 'private' })).toBe(false);
		expect(isWalkable({ highway: 'service', access: 'no', foot: 'yes' })).toBe(true);
	});
});
