/**
 * `npm run plan` as a planner runs it: on the shipped Siming files, and on small files of their own
 * (a GeoJSON street network, demand and candidates), with clear refusals for bad inputs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromGeoJsonLines } from '../../src/lib/planning/network-inputs';
import { walkingSecondsFrom } from '../../src/lib/routing/walk-graph';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function plan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run(TSX, ['src/cli/plan.ts', ...args], {
			cwd: ROOT,
			maxBuffer: 64 * 2 ** 20
		});
		return { code: 0, stdout, stderr };
	} catch (failure) {
		const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
		return { code, stdout, stderr };
	}
}

const point = (lon: number, lat: number, properties: Record<string, unknown> = {}) => ({
	type: 'Feature',
	properties,
	geometry: { type: 'Point', coordinates: [lon, lat] }
});
const collection = (features: unknown[]) => ({ type: 'FeatureCollection', features });

/*
 * A street of 1.2 km running east from 118.100 at latitude 24.45, as two LineStrings meeting in the
 * middle, and a 20-minute ferry from its east end to a pier further east.
 */
const STREET = collection([
	{
		type: 'Feature',
		properties: {},
		geometry: {
			type: 'LineString',
			coordinates: [
				[118.1, 24.45],
				[118.103, 24.45],
				[118.106, 24.45]
			]
		}
	},
	{
		type: 'Feature',
		properties: {},
		geometry: {
			type: 'LineString',
			coordinates: [
				[118.106, 24.45],
				[118.112, 24.45]
			]
		}
	},
	{
		type: 'Feature',
		properties: { seconds: 1200 },
		geometry: {
			type: 'LineString',
			coordinates: [
				[118.112, 24.45],
				[118.12, 24.45],
				[118.13, 24.45]
			]
		}
	}
]);

let dir: string;
const file = async (name: string, content: unknown) => {
	const target = path.join(dir, name);
	await writeFile(target, JSON.stringify(content));
	return target;
};

beforeAll(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'plan-cli-'));
});

describe('graphFromGeoJsonLines', () => {
	it('joins lines at shared coordinates and charges a ferry its stated time once', () => {
		const graph = graphFromGeoJsonLines(STREET);
		expect(graph.nodeCount).toBe(6);
		const tree = walkingSecondsFrom(graph, 0, { speedMps: 1, limitSeconds: 10_000 });
		// 0.012° of longitude at 24.45° ≈ 1,215 m of street, then 1,200 s on the ferry.
		expect(tree.seconds[3]).toBeCloseTo(1215, -1);
		expect(tree.seconds[5] - tree.seconds[3]).toBeCloseTo(1200, 6);
	});

	it('names the feature that is not a line', () => {
		expect(() => graphFromGeoJsonLines(collection([point(118.1, 24.45)]))).toThrow(
			/feature 1: geometry must be a LineString, got Point/
		);
	});
});

describe('npm run plan', () => {
	it('reports coverage of the shipped district by street and community', async () => {
		const { code, stdout, stderr } = await plan('coverage');
		expect(code).toBe(0);
		const report = JSON.parse(stdout);
		expect(report.district.elderly).toBe(102_609);
		expect(report.streets).toHaveLength(10);
		expect(report.communities).toHaveLength(99);
		expect(stderr).toMatch(/思明区: \d+\.\d % of 102609 elderly within 15 min/);
	});

	it('sites on files of its own: demand, candidates, facilities and a GeoJSON network', async () => {
		const network = await file('street.geojson', STREET);
		const demand = await file(
			'demand.geojson',
			collection([
				point(118.1, 24.45, { elderly: 10 }),
				point(118.112, 24.45, { elderly: 40 }),
				point(118.13, 24.45, { elderly: 5 })
			])
		);
		const facilities = await file(
			'facilities.geojson',
			collection([point(118.1, 24.45, { kind: 'community_station' })])
		);
		const candidates = await file(
			'candidates.geojson',
			collection([point(118.104, 24.45, { name: 'middle' }), point(118.111, 24.45, { name: 'east end' })])
		);
		const out = path.join(dir, 'site.json');
		const { code, stderr } = await plan(
			'site',
			'--network',
			network,
			'--demand',
			demand,
			'--facilities',
			facilities,
			'--candidates',
			candidates,
			'--model',
			'mclp',
			'--p',
			'1',
			'--exact',
			'--out',
			out
		);
		expect(stderr).toMatch(/mclp, 2 candidates/);
		expect(code).toBe(0);
		const result = JSON.parse(await readFile(out, 'utf8'));
		// Only the east end reaches the 40 elderly at the far end of the street within 15 minutes.
		expect(result.chosen.map((c: { name: string }) => c.name)).toEqual(['east end']);
		expect(result.greedy.newlyCovered).toBe(40);
		expect(result.exact.objective).toBe(40);
		expect(result.after.within.at(-1)).toBe(50);
	});

	it('refuses candidates that are not points, or far from any walkway, and p beyond the candidates', async () => {
		const line = await file(
			'line.geojson',
			collection([
				{
					type: 'Feature',
					properties: {},
					geometry: {
						type: 'LineString',
						coordinates: [
							[118.1, 24.45],
							[118.11, 24.46]
						]
					}
				}
			])
		);
		const farAway = await file('far.geojson', collection([point(121.47, 31.23, { name: '上海' })]));
		// Independent runs, side by side: each is a whole process start.
		const [notPoints, offNetwork, tooMany, badMinutes] = await Promise.all([
			plan('site', '--candidates', line, '--model', 'mclp', '--p', '1'),
			plan('site', '--candidates', farAway, '--model', 'mclp', '--p', '1'),
			plan('site', '--planned', '--model', 'pmedian', '--p', '9'),
			plan('coverage', '--minutes', '0')
		]);
		expect(notPoints.code).toBe(1);
		expect(notPoints.stderr).toMatch(/candidates, feature 1: geometry must be a Point, got LineString/);
		expect(offNetwork.code).toBe(1);
		expect(offNetwork.stderr).toMatch(/too far from any walkway.*上海/);
		expect(tooMany.code).toBe(1);
		expect(tooMany.stderr).toMatch(/P_OUT_OF_RANGE/);
		expect(badMinutes.code).toBe(1);
		expect(badMinutes.stderr).toMatch(/--minutes must be a whole number from 1 to 60/);
	});
});
