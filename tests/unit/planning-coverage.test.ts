import { describe, expect, it } from 'vitest';
import { buildWalkGraph, walkingSecondsFromNearest } from '../../src/lib/routing/walk-graph';
import {
	ANY_KIND,
	coverageRows,
	demandCoverage,
	weightedMedian,
	type DemandPoint,
	type SitePoint
} from '../../src/lib/planning/coverage';
import { buildSitingProblem } from '../../src/lib/planning/siting/matrix';

/*
 * One straight street of eleven corners, exactly 100 m apart by edge length, running east along
 * latitude 24.45 (0.001° of longitude ≈ 101 m here), and a separate islet far to the north-east
 * that no edge reaches. Walking at 1 m/s, corner k is k × 100 s from corner 0.
 *
 *   0 ─ 1 ─ 2 ─ 3 ─ 4 ─ 5 ─ 6 ─ 7 ─ 8 ─ 9 ─ 10          11 ─ 12 (islet)
 */
const STEP = 0.001;
const nodes = [
	...Array.from({ length: 11 }, (_, k) => ({ lon: 118.1 + k * STEP, lat: 24.45 })),
	{ lon: 118.2, lat: 24.46 },
	{ lon: 118.2 + STEP, lat: 24.46 }
];
const edges = [
	...Array.from({ length: 10 }, (_, k) => ({ from: k, to: k + 1, lengthM: 100 })),
	{ from: 11, to: 12, lengthM: 100 }
];
const graph = buildWalkGraph(nodes, edges);
const at = (k: number) => ({ lon: nodes[k].lon, lat: nodes[k].lat });
const demandAt = (k: number, weight: number, communityCode: string): DemandPoint => ({
	...at(k),
	weight,
	streetCode: communityCode.slice(0, 1),
	communityCode
});

describe('walkingSecondsFromNearest', () => {
	it('gives every node the time from its nearest source and names that source', () => {
		const tree = walkingSecondsFromNearest(
			graph,
			[
				{ node: 0, seconds: 0 },
				{ node: 10, seconds: 150 }
			],
			{ speedMps: 1, limitSeconds: 3600 }
		);
		expect(tree.seconds[3]).toBe(300);
		expect(tree.origin[3]).toBe(0);
		// From corner 10, corner 7 is 300 s on foot plus the 150 s that source starts with: sooner than 700 s.
		expect(tree.seconds[7]).toBe(450);
		expect(tree.origin[7]).toBe(1);
		// Corner 6: 600 s from corner 0, 400 + 150 = 550 s from corner 10.
		expect(tree.origin[6]).toBe(1);
		expect(tree.seconds[5]).toBe(500);
		expect(tree.origin[5]).toBe(0);
		expect(tree.seconds[11]).toBe(Infinity);
		expect(tree.origin[11]).toBe(-1);
	});

	it('leaves nodes beyond the time limit unreached', () => {
		const tree = walkingSecondsFromNearest(graph, [{ node: 0, seconds: 0 }], {
			speedMps: 1,
			limitSeconds: 250
		});
		expect(tree.seconds[2]).toBe(200);
		expect(tree.seconds[3]).toBe(Infinity);
	});
});

describe('demandCoverage and coverageRows', () => {
	const demand = [
		demandAt(1, 10, 'A1'), // 100 s from the station at 0
		demandAt(4, 20, 'A1'), // 400 s
		demandAt(7, 30, 'A2'), // 700 s from the station, 300 s from the institution at 10
		demandAt(10, 5, 'B1'), // at the institution
		demandAt(12, 40, 'B2') // on the islet: no walk reaches it
	];
	const sites: SitePoint[] = [
		{ ...at(0), kind: 'community_station' },
		{ ...at(10), kind: 'institution' }
	];
	const coverage = demandCoverage(graph, demand, sites, {
		speedMps: 1,
		bandsMinutes: [5, 10, 15],
		limitSeconds: 3600
	});

	it('times every demand point to the nearest site of each kind and of any kind', () => {
		const any = coverage.byKind.get(ANY_KIND)!;
		expect([...any.seconds]).toEqual([100, 400, 300, 0, Infinity]);
		expect([...any.site]).toEqual([0, 0, 1, 1, -1]);
		const stations = coverage.byKind.get('community_station')!;
		expect([...stations.seconds]).toEqual([100, 400, 700, 1000, Infinity]);
	});

	it('counts the elderly within each band by community, and the totals add up', () => {
		const rows = coverageRows(
			demand,
			coverage.demandSnap,
			coverage.byKind.get('community_station')!,
			[5, 10, 15],
			(p) => p.communityCode
		);
		expect(rows.map((r) => r.code)).toEqual(['A1', 'A2', 'B1', 'B2']);
		const [a1, a2, b1, b2] = rows;
		// A1: 10 at 100 s, 20 at 400 s — both within 10 minutes.
		expect(a1.within).toEqual([10, 30, 30]);
		expect(a1.share).toBe(1);
		expect(a1.nearestSite).toBe(0);
		// A2: 30 at 700 s — within 15 minutes only.
		expect(a2.within).toEqual([0, 0, 30]);
		// B1: 5 at 1,000 s — beyond 15 minutes.
		expect(b1.within).toEqual([0, 0, 0]);
		expect(b1.uncovered).toBe(5);
		expect(b1.medianSeconds).toBe(1000);
		// B2: unreachable but still on the network (the islet has walkways), so not "off network".
		expect(b2.uncovered).toBe(40);
		expect(b2.offNetwork).toBe(0);
		expect(b2.nearestSite).toBe(-1);
		for (const row of rows) expect(row.within[2] + row.uncovered).toBe(row.elderly);
	});

	it('counts a home too far from any walkway as off the network and uncovered', () => {
		const far: DemandPoint[] = [{ lon: 118.1, lat: 24.6, weight: 7, streetCode: 'C', communityCode: 'C1' }];
		const result = demandCoverage(graph, far, sites, { speedMps: 1, bandsMinutes: [15], limitSeconds: 3600 });
		const [row] = coverageRows(
			far,
			result.demandSnap,
			result.byKind.get(ANY_KIND)!,
			[15],
			(p) => p.streetCode
		);
		expect(row).toMatchObject({ elderly: 7, uncovered: 7, offNetwork: 7, share: 0 });
	});
});

describe('weightedMedian', () => {
	it('takes the value where half the weight is reached', () => {
		expect(
			weightedMedian([
				[10, 1],
				[20, 1],
				[30, 5]
			])
		).toBe(30);
		expect(
			weightedMedian([
				[10, 3],
				[20, 1],
				[30, 1]
			])
		).toBe(10);
		expect(weightedMedian([])).toBeNull();
	});
});

describe('buildSitingProblem', () => {
	it('lists, for each candidate, the demand points it reaches within the limit and the walking time', () => {
		const demand = [demandAt(2, 10, 'A1'), demandAt(5, 20, 'A1'), demandAt(12, 30, 'B1')];
		const coverage = demandCoverage(graph, demand, [{ ...at(0), kind: 'community_station' }], {
			speedMps: 1,
			bandsMinutes: [15],
			limitSeconds: 3600
		});
		const candidates = demandCoverage(
			graph,
			[],
			[at(3), at(11)].map((p) => ({ ...p, kind: 'x' })),
			{
				speedMps: 1,
				bandsMinutes: [15],
				limitSeconds: 3600
			}
		).siteSnap;
		const problem = buildSitingProblem(
			graph,
			{ weights: Float64Array.from(demand, (d) => d.weight), snap: coverage.demandSnap },
			candidates,
			coverage.byKind.get(ANY_KIND)!.seconds,
			{ speedMps: 1, coverSeconds: 900, limitSeconds: 250 }
		);
		expect(problem.candidateCount).toBe(2);
		// Candidate 0 (corner 3) reaches corner 2 in 100 s and corner 5 in 200 s; the islet is out of reach.
		expect([...problem.reachOffsets]).toEqual([0, 2, 3]);
		expect([...problem.reachDemand]).toEqual([0, 1, 2]);
		expect([...problem.reachSeconds]).toEqual([100, 200, 100]);
		expect([...problem.existingSeconds]).toEqual([200, 500, Infinity]);
		expect(problem.unreachedSeconds).toBe(250);
	});
});
