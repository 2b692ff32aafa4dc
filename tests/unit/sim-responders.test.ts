import { describe, expect, test } from 'vitest';
import type { WalkNetworkCollection } from '../../src/lib/geo/features';
import {
	decideOffer,
	decideVisit,
	planRoster,
	territoriesFromRegions,
	type Territory
} from '../../simulators/responders/behaviour';
import { Random } from '../../simulators/random';
import {
	buildStreetGraph,
	haversineMeters,
	planRoute,
	positionAt,
	routeSeconds,
	type LonLat
} from '../../simulators/responders/street-path';

/** A square of streets 0.001° (~100 m) a side, plus a long detour and a ferry off corner c. */
function network(
	lines: { coords: LonLat[]; kind?: 'walk' | 'ferry'; seconds?: number }[]
): WalkNetworkCollection {
	return {
		type: 'FeatureCollection',
		network: { name: 'test', provenance: 'modelled', source: 'test', nodeCount: 0, edgeCount: lines.length },
		features: lines.map(({ coords, kind = 'walk', seconds = null }) => ({
			type: 'Feature',
			geometry: { type: 'LineString', coordinates: coords },
			properties: {
				kind,
				seconds,
				lengthM: coords.slice(1).reduce((m, c, i) => m + haversineMeters(coords[i], c), 0)
			}
		}))
	};
}

const A: LonLat = [118.08, 24.45];
const B: LonLat = [118.081, 24.45];
const C: LonLat = [118.081, 24.451];
const D: LonLat = [118.08, 24.451];

describe('walking a responder along the street network', () => {
	test('follows the shorter way round the block, through the way’s shape', () => {
		const graph = buildStreetGraph(
			network([
				{ coords: [A, [118.0805, 24.45], B] },
				{ coords: [B, C] },
				{ coords: [A, D] },
				{ coords: [D, [118.0805, 24.4525], C] } // a bulge: longer than A→B→C
			])
		);
		expect(graph.nodes).toHaveLength(4);
		const route = planRoute(graph, A, C);
		expect(route.method).toBe('network');
		expect(route.points).toEqual([A, [118.0805, 24.45], B, C]);
		expect(route.meters).toBeCloseTo(haversineMeters(A, B) + haversineMeters(B, C), 3);
		expect(routeSeconds(route)).toBeCloseTo(route.meters / 1.3, 6);
	});

	test('walks from the start to the network and from the network to the door', () => {
		const graph = buildStreetGraph(network([{ coords: [A, B] }]));
		const start: LonLat = [118.08, 24.4501];
		const door: LonLat = [118.081, 24.4499];
		const route = planRoute(graph, start, door);
		expect(route.points).toEqual([start, A, B, door]);
	});

	test('takes a ferry at its fixed time when that is quicker than walking round', () => {
		const far: LonLat = [118.09, 24.45];
		const graph = buildStreetGraph(
			network([
				{ coords: [A, far], kind: 'ferry', seconds: 600 },
				{ coords: [A, [118.08, 24.47], [118.09, 24.47], far] }
			])
		);
		const route = planRoute(graph, A, far);
		expect(route.points).toEqual([A, far]);
		expect(routeSeconds(route)).toBeCloseTo(600, 6);
	});

	test('walks a labelled straight line without a network, or between parts it does not join', () => {
		expect(planRoute(null, A, C).method).toBe('straight_line');
		const islands = buildStreetGraph(network([{ coords: [A, B] }, { coords: [C, [118.082, 24.451]] }]));
		const route = planRoute(islands, A, [118.082, 24.451]);
		expect(route.method).toBe('straight_line');
		expect(route.points).toHaveLength(2);
	});

	test('says where the responder is at any second: the start before, the door after', () => {
		const route = planRoute(null, A, B);
		const half = routeSeconds(route) / 2;
		expect(positionAt(route, -5)).toEqual(A);
		expect(positionAt(route, half)[0]).toBeCloseTo(118.0805, 9);
		expect(positionAt(route, routeSeconds(route) + 5)).toEqual(B);
	});
});

describe('how simulated responders behave', () => {
	test('a seed gives the same decisions every time', () => {
		const run = (seed: number) => {
			const random = new Random(seed);
			return Array.from({ length: 20 }, () => decideOffer(random));
		};
		expect(run(7)).toEqual(run(7));
		expect(run(7)).not.toEqual(run(8));
	});

	test('mostly accepts, sometimes declines or misses the offer, after 2 to 45 seconds', () => {
		const random = new Random(1);
		const decisions = Array.from({ length: 2000 }, () => decideOffer(random));
		const share = (answer: string) => decisions.filter((d) => d.answer === answer).length / decisions.length;
		expect(share('accept')).toBeGreaterThan(0.75);
		expect(share('decline')).toBeGreaterThan(0.05);
		expect(share('ignore')).toBeGreaterThan(0.03);
		for (const { afterSeconds } of decisions) {
			expect(afterSeconds).toBeGreaterThanOrEqual(2);
			expect(afterSeconds).toBeLessThanOrEqual(45);
		}
	});

	test('always accepts when told never to decline or miss', () => {
		const random = new Random(3);
		const answers = new Set(
			Array.from({ length: 200 }, () => decideOffer(random, { decline: 0, ignore: 0 }).answer)
		);
		expect([...answers]).toEqual(['accept']);
	});

	test('ends visits with an outcome the platform accepts, after minutes on scene', () => {
		const random = new Random(5);
		const outcomes = ['home_visit', 'false_alarm', 'sent_to_hospital', 'referred_to_emergency', 'no_access'];
		for (let i = 0; i < 200; i++) {
			const visit = decideVisit(random);
			expect(outcomes).toContain(visit.outcome);
			expect(visit.onSceneSeconds).toBeGreaterThanOrEqual(120);
		}
	});

	test('makes up the same roster from the same seed, spread over communities, roles mixed', () => {
		const territories: Territory[] = Array.from({ length: 30 }, (_, i) => ({
			communityCode: `350203001${String(i + 1).padStart(3, '0')}`,
			streetCode: '350203001',
			name: `社区${i}`,
			base: [118.08 + i * 0.001, 24.45]
		}));
		const roster = planRoster(new Random(1), { count: 6, seed: 1, territories });
		expect(planRoster(new Random(1), { count: 6, seed: 1, territories })).toEqual(roster);
		expect(roster.map((r) => r.externalId)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `sim-responder-1-${i}`));
		expect(new Set(roster.map((r) => r.role))).toEqual(
			new Set(['grid_worker', 'station_staff', 'volunteer'])
		);
		const communities = roster.filter((r) => r.role !== 'volunteer').map((r) => r.communityCode);
		expect(new Set(communities).size).toBe(communities.length);
		for (const volunteer of roster.filter((r) => r.role === 'volunteer')) {
			expect(volunteer.communityCode).toBeNull();
			expect(volunteer.streetCode).toBe('350203001');
		}
	});

	test('takes communities, not streets or the district, as territories', () => {
		const feature = (code: string, level: string, parentCode: string | null) => ({
			properties: { code, level, name: code, parentCode, labelPoint: [118.08, 24.45] as LonLat }
		});
		const territories = territoriesFromRegions([
			feature('350203', 'district', null),
			feature('350203001', 'street', '350203'),
			feature('350203001001', 'community', '350203001')
		]);
		expect(territories).toEqual([
			{ communityCode: '350203001001', streetCode: '350203001', name: '350203001001', base: [118.08, 24.45] }
		]);
	});
});
