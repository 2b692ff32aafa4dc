/**
 * How long the facility walking circles take to compute, without the database: the shipped Siming
 * walking network as a graph, and one circle per open facility of the shipped dataset. Called by
 * tests/benchmarks/run.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { area } from '@turf/turf';
import type { FeatureCollection, Point } from 'geojson';
import { buildWalkGraph } from '../../src/lib/routing/walk-graph';
import { ELDERLY_SPEED_MPS, walkingArea } from '../../src/lib/routing/walking-area';
import type { BenchRow } from './run';

const SIMING = path.resolve(import.meta.dirname, '../../geo/siming');
/** Median of a few runs, so one garbage collection or cold JIT does not decide the figure. */
const RUNS = 5;
const MINUTES = [15, 30];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchFacilityCircles(): Promise<BenchRow[]> {
	const network = JSON.parse(readFileSync(path.join(SIMING, 'walk-network.json'), 'utf8')) as {
		nodes: [number, number][];
		/** [from, to, metres, ferry seconds or 0] */
		edges: [number, number, number, number][];
	};
	const facilities = JSON.parse(
		readFileSync(path.join(SIMING, 'facilities.geojson'), 'utf8')
	) as FeatureCollection<Point, { status: string }>;
	const origins = facilities.features
		.filter((f) => f.properties.status === 'open')
		.map((f) => f.geometry.coordinates as [number, number]);

	const buildMs: number[] = [];
	let graph = buildWalkGraph([], []);
	for (let run = 0; run < RUNS; run++) {
		const t0 = performance.now();
		graph = buildWalkGraph(
			network.nodes.map(([lon, lat]) => ({ lon, lat })),
			network.edges.map(([from, to, lengthM, seconds]) => ({
				from,
				to,
				lengthM,
				seconds: seconds > 0 ? seconds : null
			}))
		);
		buildMs.push(performance.now() - t0);
	}
	const label = `Siming modelled network, ${graph.nodeCount} nodes, ${network.edges.length} edges`;
	const rows: BenchRow[] = [
		{ name: `walking graph build (${label}), median of ${RUNS}`, value: `${median(buildMs).toFixed(1)} ms` }
	];
	for (const minutes of MINUTES) {
		const options = { speedMps: ELDERLY_SPEED_MPS, limitSeconds: minutes * 60 };
		const circlesMs: number[] = [];
		let circles: ReturnType<typeof walkingArea>[] = [];
		for (let run = 0; run < RUNS; run++) {
			const t0 = performance.now();
			circles = origins.map((origin) => walkingArea(graph, origin, options));
			circlesMs.push(performance.now() - t0);
		}
		const drawn = circles.flatMap((c) => c ?? []);
		// Against the full disc: without the database there is no district outline to clip it to.
		const disc = Math.PI * (options.speedMps * options.limitSeconds) ** 2;
		const share = drawn.reduce((sum, c) => sum + area(c.area) / disc, 0) / Math.max(1, drawn.length);
		const ms = median(circlesMs);
		rows.push(
			{
				name: `${minutes}-minute walking circles, ${origins.length} open facilities, median of ${RUNS}`,
				value: `${ms.toFixed(0)} ms (${(ms / origins.length).toFixed(1)} ms each; ${drawn.length} drawn)`
			},
			{
				name: `${minutes}-minute walking circle, mean share of the unclipped straight-line disc`,
				value: `${(100 * share).toFixed(0)} %`
			}
		);
	}
	return rows;
}
