/**
 * `npm run plan -- <isochrones|coverage|site> [options]`: the planning analyses on files, without a
 * database, so planners can run them on data from elsewhere. Inputs default to the shipped Siming
 * dataset (`--district siming`); any of them can be replaced:
 *   --network FILE     walk-network.json as shipped, a GeoJSON of LineStrings, or an .osm.pbf/.osm extract
 *   --demand FILE      GeoJSON Points with `elderly` (and optional streetCode/communityCode)
 *   --facilities FILE  GeoJSON Points with `kind` (and `status`; only open ones count)
 *   --regions FILE     GeoJSON polygons with code/level/name, to put demand into streets and communities
 *   --candidates FILE  GeoJSON Points (site only); --planned adds the facilities file's planned sites,
 *                      --generated N proposes N sites over where the elderly live
 * Results go to stdout as JSON (or --out FILE); a short summary goes to stderr. Exit 1 with a reason on
 * bad input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { circle } from '@turf/turf';
import type { FeatureCollection } from 'geojson';
import { ANY_KIND, bandsFor, coverageReport, PlanningInputError } from '../lib/planning/coverage-report';
import { candidatesFromGeoJson, planningInputsFromGeoJson } from '../lib/planning/geojson-inputs';
import { graphFromGeoJsonLines, graphFromShippedNetwork } from '../lib/planning/network-inputs';
import type { CoverageParameters } from '../lib/planning/report';
import { runSiting, spreadCandidates } from '../lib/planning/siting-run';
import { SitingInputError, type SitingModel } from '../lib/planning/siting/problem';
import { buildWalkGraph, type WalkGraph } from '../lib/routing/walk-graph';
import { ELDERLY_SPEED_MPS, walkingArea } from '../lib/routing/walking-area';
import { readOsm } from '../lib/server/imports/openstreetmap/read-osm';
import { buildWalkNetwork } from '../lib/server/imports/openstreetmap/walk-network';

const COMMANDS = ['isochrones', 'coverage', 'site'] as const;
const USAGE = `usage: npm run plan -- <${COMMANDS.join('|')}> [--district siming] [--network FILE] [--demand FILE] [--facilities FILE] [--regions FILE] [--minutes 15] [--speed 1.0] [--kind any] [--out FILE]
  isochrones: [--comparison] (adds the straight-line circles, labelled)
  site: --model mclp|lscp|pmedian [--p N] [--target SHARE] [--candidates FILE] [--planned] [--generated N] [--capacitated --default-capacity N] [--exact --time-limit S]
  coverage: [--csv FILE]`;

const GEO_DIR = path.resolve(import.meta.dirname, '../../geo');

function fail(message: string): never {
	console.error(`plan: ${message}`);
	process.exit(1);
}

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		district: { type: 'string', default: 'siming' },
		network: { type: 'string' },
		demand: { type: 'string' },
		facilities: { type: 'string' },
		regions: { type: 'string' },
		candidates: { type: 'string' },
		planned: { type: 'boolean', default: false },
		generated: { type: 'string', default: '0' },
		minutes: { type: 'string', default: '15' },
		speed: { type: 'string', default: String(ELDERLY_SPEED_MPS) },
		kind: { type: 'string', default: ANY_KIND },
		model: { type: 'string' },
		p: { type: 'string' },
		target: { type: 'string' },
		capacitated: { type: 'boolean', default: false },
		'default-capacity': { type: 'string' },
		exact: { type: 'boolean', default: false },
		'time-limit': { type: 'string', default: '10' },
		comparison: { type: 'boolean', default: false },
		out: { type: 'string' },
		csv: { type: 'string' }
	}
});

const [command] = positionals;
if (!command || positionals.length > 1 || !(COMMANDS as readonly string[]).includes(command)) fail(USAGE);

/** A whole number or decimal option within bounds, or a clear exit. */
function numberOption(
	name: string,
	raw: string | undefined,
	min: number,
	max: number,
	integer = false
): number {
	const value = Number(raw);
	if (
		raw === undefined ||
		!Number.isFinite(value) ||
		value < min ||
		value > max ||
		(integer && !Number.isInteger(value))
	)
		fail(
			`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}${raw === undefined ? '' : `, not "${raw}"`}`
		);
	return value;
}

const districtDir = path.join(GEO_DIR, values.district!);
const fileOf = (option: string | undefined, shipped: string) => option ?? path.join(districtDir, shipped);

async function readJsonFile(file: string, what: string): Promise<unknown> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (failure) {
		fail(
			`cannot read the ${what} file ${file}: ${(failure as NodeJS.ErrnoException).code ?? (failure as Error).message}`
		);
	}
	try {
		return JSON.parse(text);
	} catch (failure) {
		fail(`the ${what} file ${file} is not JSON: ${(failure as Error).message}`);
	}
}

async function readNetwork(file: string): Promise<WalkGraph> {
	if (/\.osm(\.pbf)?$/.test(file)) {
		const osm = readOsm(await readFile(file), file.endsWith('.pbf') ? 'pbf' : 'xml');
		const network = buildWalkNetwork(osm);
		return buildWalkGraph(network.nodes, network.edges);
	}
	const json = await readJsonFile(file, 'network');
	return (json as { type?: string }).type === 'FeatureCollection'
		? graphFromGeoJsonLines(json)
		: graphFromShippedNetwork(json);
}

async function readInputs() {
	const networkFile = fileOf(values.network, 'walk-network.json');
	const regionsFile = values.regions ?? (values.demand ? null : path.join(districtDir, 'regions.geojson'));
	return planningInputsFromGeoJson({
		graph: await readNetwork(networkFile),
		networkName: path.basename(networkFile),
		demand: await readJsonFile(fileOf(values.demand, 'population-cells.geojson'), 'demand'),
		facilities: await readJsonFile(fileOf(values.facilities, 'facilities.geojson'), 'facilities'),
		regions: regionsFile ? ((await readJsonFile(regionsFile, 'regions')) as FeatureCollection) : null,
		fallbackName: values.district!
	});
}

async function output(result: unknown): Promise<void> {
	const text = JSON.stringify(result, null, 1);
	if (values.out) await writeFile(values.out, text + '\n');
	else process.stdout.write(text + '\n');
}

const percent = (share: number | null) => (share === null ? '—' : `${(100 * share).toFixed(1)} %`);

try {
	const parameters: CoverageParameters = {
		minutes: numberOption('minutes', values.minutes, 1, 60, true),
		speedMps: numberOption('speed', values.speed, 0.3, 2),
		kind: values.kind!,
		bandsMinutes: bandsFor(Number(values.minutes))
	};
	const inputs = await readInputs();
	if (command === 'isochrones') {
		const limitSeconds = parameters.minutes * 60;
		const features = inputs.sites.flatMap((site) => {
			const reached = walkingArea(inputs.graph!, [site.lon, site.lat], {
				speedMps: parameters.speedMps,
				limitSeconds
			});
			const straight = circle([site.lon, site.lat], (parameters.speedMps * limitSeconds) / 1000, {
				units: 'kilometers'
			});
			const base = { facilityId: site.id, name: site.name, kind: site.kind, minutes: parameters.minutes };
			return [
				...(reached
					? [
							{
								...reached.area,
								properties: { ...base, method: 'network', snapMeters: Math.round(reached.snapMeters) }
							}
						]
					: []),
				// The straight-line circle only on request, and labelled: nobody walks through walls.
				...(values.comparison ? [{ ...straight, properties: { ...base, method: 'euclidean' } }] : [])
			];
		});
		console.error(
			`plan: ${features.filter((f) => f.properties.method === 'network').length} of ${inputs.sites.length} facilities have a ${parameters.minutes}-minute walking area`
		);
		await output({ type: 'FeatureCollection', features });
	} else if (command === 'coverage') {
		const report = coverageReport(inputs, parameters);
		const { district, answer } = report;
		console.error(
			`plan: ${district.name}: ${percent(district.share)} of ${Math.round(district.elderly)} elderly within ${parameters.minutes} min; ` +
				`${answer.communities - answer.gaps.length} of ${answer.communities} communities have their circle (≥ ${percent(answer.thresholdShare)}), ${answer.gaps.length} gaps; ${report.elapsedMs.toFixed(0)} ms`
		);
		if (values.csv) {
			const { scenarioCsv } = await import('../lib/planning/scenario-export');
			await writeFile(
				values.csv,
				scenarioCsv({
					id: 0,
					districtCode: inputs.districtCode,
					createdAt: new Date().toISOString(),
					name: 'coverage',
					parameters,
					added: [],
					removedFacilityIds: [],
					siting: null,
					results: report
				})
			);
		}
		await output(report);
	} else {
		const model = sitingModel();
		const candidates = [
			...(values.candidates
				? candidatesFromGeoJson(await readJsonFile(values.candidates, 'candidates'), 'uploaded')
				: []),
			...(values.planned ? inputs.planned : []),
			...spreadCandidates(inputs.demand, numberOption('generated', values.generated, 0, 5000, true))
		];
		const result = await runSiting(inputs, parameters, {
			model,
			solver: values.exact ? 'both' : 'greedy',
			timeLimitSeconds: numberOption('time-limit', values['time-limit'], 1, 3600),
			candidates,
			defaultCapacity:
				values['default-capacity'] === undefined
					? undefined
					: numberOption('default-capacity', values['default-capacity'], 0, 1e9)
		});
		console.error(
			`plan: ${model.kind}, ${candidates.length} candidates: greedy ${result.greedy.objective.toFixed(1)} in ${result.greedy.elapsedMs.toFixed(0)} ms` +
				(result.exact
					? `; exact ${result.exact.objective.toFixed(1)} in ${result.exact.elapsedMs.toFixed(0)} ms (${result.exact.proven ? 'optimal' : 'not proven'}), gap ${percent(result.gap)}`
					: '') +
				`; covered ${percent(result.before.share)} → ${percent(result.after.share)}`
		);
		await output(result);
	}
} catch (failure) {
	if (failure instanceof PlanningInputError || failure instanceof SitingInputError)
		fail(`${failure.code}: ${failure.message}`);
	throw failure;
}

function sitingModel(): SitingModel {
	switch (values.model) {
		case 'mclp':
			return {
				kind: 'mclp',
				p: numberOption('p', values.p, 1, 100_000, true),
				capacitated: values.capacitated
			};
		case 'pmedian':
			return { kind: 'pmedian', p: numberOption('p', values.p, 1, 100_000, true) };
		case 'lscp':
			return { kind: 'lscp', targetShare: numberOption('target', values.target, 0.0001, 1) };
		default:
			fail(`--model must be mclp, lscp or pmedian${values.model ? `, not "${values.model}"` : ''}`);
	}
}
