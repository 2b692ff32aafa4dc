/**
 * The planner's figures on the shipped Siming data, without a database: building the walking graph,
 * coverage of every elderly resident by walking time, and siting 10 of 300 candidate sites by the
 * greedy heuristic and the exact solver. Called by tests/benchmarks/run.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import { bandsFor, coverageReport, SEARCH_LIMIT_SECONDS } from '../../src/lib/planning/coverage-report';
import { ANY_KIND, demandCoverage, snapPoints } from '../../src/lib/planning/coverage';
import { planningInputsFromGeoJson } from '../../src/lib/planning/geojson-inputs';
import { graphFromShippedNetwork } from '../../src/lib/planning/network-inputs';
import { spreadCandidates } from '../../src/lib/planning/siting-run';
import { buildSitingProblem } from '../../src/lib/planning/siting/matrix';
import { ELDERLY_SPEED_MPS } from '../../src/lib/routing/walking-area';
import type { BenchRow } from './run';
import { benchSitingOnProblem } from './siting';

const SIMING = path.resolve(import.meta.dirname, '../../geo/siming');
const RUNS = 5;
const CANDIDATES = 300;

const readJson = (file: string) => JSON.parse(readFileSync(path.join(SIMING, file), 'utf8'));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timed<T>(run: () => T): { result: T; ms: number } {
	const times: number[] = [];
	let result!: T;
	for (let i = 0; i < RUNS; i++) {
		const started = performance.now();
		result = run();
		times.push(performance.now() - started);
	}
	return { result, ms: median(times) };
}

export async function benchPlanning(): Promise<BenchRow[]> {
	const network = readJson('walk-network.json');
	const { result: graph, ms: graphMs } = timed(() => graphFromShippedNetwork(network));
	const inputs = planningInputsFromGeoJson({
		graph,
		networkName: 'walk-network.json',
		demand: readJson('population-cells.geojson'),
		facilities: readJson('facilities.geojson'),
		regions: readJson('regions.geojson') as FeatureCollection,
		fallbackName: 'siming'
	});
	const parameters = { minutes: 15, speedMps: ELDERLY_SPEED_MPS, kind: ANY_KIND, bandsMinutes: bandsFor(15) };
	const { result: report, ms: coverageMs } = timed(() => coverageReport(inputs, parameters));
	const elderly = Math.round(report.district.elderly);

	const candidates = spreadCandidates(inputs.demand, CANDIDATES);
	const { result: problem, ms: matrixMs } = timed(() => {
		const existing = demandCoverage(graph, inputs.demand, inputs.sites, {
			speedMps: parameters.speedMps,
			bandsMinutes: parameters.bandsMinutes,
			limitSeconds: SEARCH_LIMIT_SECONDS
		});
		return buildSitingProblem(
			graph,
			{ weights: Float64Array.from(inputs.demand, (d) => d.weight), snap: existing.demandSnap },
			snapPoints(graph, candidates),
			existing.byKind.get(ANY_KIND)!.seconds,
			{ speedMps: parameters.speedMps, coverSeconds: 900, limitSeconds: 1800 }
		);
	});
	const label = `Siming, ${inputs.demand.length} demand cells, ${candidates.length} candidates, p = 10`;
	return [
		{
			name: `walking graph build (shipped Siming network, ${graph.nodeCount} nodes), median of ${RUNS}`,
			value: `${graphMs.toFixed(1)} ms`
		},
		{
			name: `coverage of all demand (${inputs.demand.length} cells, ${elderly} elderly, ${inputs.sites.length} facilities, 5/10/15 min, tables by street and community), median of ${RUNS}`,
			value: `${coverageMs.toFixed(0)} ms`
		},
		{
			name: `siting matrix (${candidates.length} candidates × ${inputs.demand.length} cells, 30-min walks), median of ${RUNS}`,
			value: `${matrixMs.toFixed(0)} ms`
		},
		...(await benchSitingOnProblem(problem, label))
	];
}
