/**
 * How long reading a real OSM extract and building its walking graph takes, and what comes out.
 * Reads ../shared/data/osm/monaco.osm.pbf (beside the project) when present: reference data, never
 * copied into the project. Called by tests/bench/run.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readOsm } from '../../src/lib/server/imports/openstreetmap/read-osm';
import {
	buildWalkNetwork,
	connectedComponents
} from '../../src/lib/server/imports/openstreetmap/walk-network';
import type { BenchRow } from './run';

const EXTRACT = path.resolve(import.meta.dirname, '../../../shared/data/osm/monaco.osm.pbf');
/** Median of a few runs, so one garbage collection or cold JIT does not decide the figure. */
const RUNS = 5;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchOsmWalkNetwork(): Promise<BenchRow[]> {
	if (!existsSync(EXTRACT)) {
		return [{ name: 'OSM walking graph', value: `skipped: ${EXTRACT} is not present` }];
	}
	const bytes = readFileSync(EXTRACT);
	const label = `${path.basename(EXTRACT)}, ${(bytes.length / 2 ** 20).toFixed(1)} MiB, untagged arterials walkable as on import`;
	const readMs: number[] = [];
	const buildMs: number[] = [];
	let network = buildWalkNetwork(readOsm(bytes, 'pbf'));
	for (let run = 0; run < RUNS; run++) {
		const t0 = performance.now();
		const osm = readOsm(bytes, 'pbf');
		const t1 = performance.now();
		network = buildWalkNetwork(osm, { assumeSidewalks: true });
		buildMs.push(performance.now() - t1);
		readMs.push(t1 - t0);
	}
	const sizes = new Map<number, number>();
	for (const c of connectedComponents(network)) sizes.set(c, (sizes.get(c) ?? 0) + 1);
	const largest = Math.max(0, ...sizes.values());
	const { stats } = network;
	return [
		{ name: `OSM read (${label}), median of ${RUNS}`, value: `${median(readMs).toFixed(0)} ms` },
		{ name: `walking-graph build (${label}), median of ${RUNS}`, value: `${median(buildMs).toFixed(0)} ms` },
		{
			name: 'ways: walkable / ferry / skipped',
			value: `${stats.walkableWays} / ${stats.ferryWays} / ${stats.skippedWays} of ${stats.ways}`
		},
		{ name: 'walking graph: nodes', value: String(network.nodes.length) },
		{ name: 'walking graph: edges', value: String(network.edges.length) },
		{ name: 'walking graph: connected components', value: String(sizes.size) },
		{
			name: 'walking graph: largest component, share of nodes',
			value: `${((100 * largest) / Math.max(1, network.nodes.length)).toFixed(1)} %`
		}
	];
}
