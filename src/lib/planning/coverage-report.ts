/**
 * The planner's coverage report, assembled from pure parts: a district's demand, its facilities and
 * its walking graph in; coverage tables by street and community, the gap cells and the plan's
 * answer ("does every community have its 15-minute circle?") out. A scenario adds and removes sites
 * before counting. Used by the planning API and by `npm run plan -- coverage` alike.
 */
import type { WalkGraph } from '../routing/walk-graph';
import {
	ANY_KIND,
	coverageRow,
	coverageRows,
	demandCoverage,
	type CoverageRow,
	nearestSiteTimes,
	type DemandPoint,
	type NearestSites
} from './coverage';
import type {
	CandidateSite,
	CoverageAnswer,
	CoverageParameters,
	CoverageReport,
	CoverageTableRow,
	PlanningSite
} from './report';

export interface PlanningInputs {
	districtCode: string;
	districtName: string;
	graph: WalkGraph | null;
	network: CoverageReport['network'];
	demand: (DemandPoint & { cellId: string })[];
	/** Street and community names by code. */
	regionNames: Map<string, string>;
	/** The open facilities. */
	sites: PlanningSite[];
}

export interface ScenarioChanges {
	added: CandidateSite[];
	removedFacilityIds: string[];
}

/** A planning request that cannot be answered as asked; the message says what to change. */
export class PlanningInputError extends Error {
	constructor(
		readonly code: 'NO_NETWORK' | 'BAD_PARAMETER' | 'UNKNOWN_FACILITY' | 'BAD_SITE',
		message: string
	) {
		super(message);
		this.name = 'PlanningInputError';
	}
}

export const DEFAULT_BANDS_MINUTES = [5, 10, 15];
/** A community "has its circle" when at least this share of its elderly live within it. */
export const CIRCLE_THRESHOLD_SHARE = 0.8;
/**
 * Elderly walking speeds vary (0.8–1.0 m/s is a fair range; 1.0 m/s is the planning convention of
 * 60 m/min), so the report also gives the district's coverage at the ends of that band.
 */
export const SPEED_BAND_MPS = [0.8, 1.0, 1.2];
/** Searches stop here: a home further than an hour's walk from every facility is out of reach. */
export const SEARCH_LIMIT_SECONDS = 3600;

/** Bands are the standard 5/10/15 cut at the circle, with the circle itself always last. */
export function bandsFor(minutes: number): number[] {
	return [...DEFAULT_BANDS_MINUTES.filter((b) => b < minutes), minutes];
}

/** The open facilities with the scenario's removals taken out and its additions put in. */
export function scenarioSites(inputs: PlanningInputs, changes: ScenarioChanges): PlanningSite[] {
	const known = new Set(inputs.sites.map((s) => s.id));
	for (const id of changes.removedFacilityIds) {
		if (!known.has(id))
			throw new PlanningInputError('UNKNOWN_FACILITY', `facility ${id} is not an open facility here`);
	}
	const removed = new Set(changes.removedFacilityIds);
	return [
		...inputs.sites.filter((s) => !removed.has(s.id)),
		...changes.added.map((site, i) => ({
			id: `added-${i + 1}`,
			name: site.name,
			kind: site.kind,
			lon: site.lon,
			lat: site.lat,
			capacity: site.capacity,
			snapMeters: null
		}))
	];
}

export function coverageReport(
	inputs: PlanningInputs,
	parameters: CoverageParameters,
	changes: ScenarioChanges = { added: [], removedFacilityIds: [] }
): CoverageReport {
	const started = performance.now();
	const graph = requireGraph(inputs);
	const sites = scenarioSites(inputs, changes);
	const coverage = demandCoverage(graph, inputs.demand, sites, {
		speedMps: parameters.speedMps,
		bandsMinutes: parameters.bandsMinutes,
		limitSeconds: SEARCH_LIMIT_SECONDS
	});
	const nearest: NearestSites = coverage.byKind.get(parameters.kind) ?? {
		// A kind with no site at all reaches nobody.
		seconds: new Float64Array(inputs.demand.length).fill(Infinity),
		site: new Int32Array(inputs.demand.length).fill(-1)
	};
	const name = (code: string) => inputs.regionNames.get(code) ?? code;
	const table =
		(level: CoverageTableRow['level']) =>
		(row: CoverageRow): CoverageTableRow => ({
			level,
			code: row.code,
			name: level === 'district' ? inputs.districtName : name(row.code),
			elderly: row.elderly,
			within: row.within,
			share: row.share,
			uncovered: row.uncovered,
			offNetwork: row.offNetwork,
			medianSeconds:
				row.medianSeconds === null || Number.isFinite(row.medianSeconds) ? row.medianSeconds : null,
			nearestFacility:
				row.nearestSite >= 0 ? { id: sites[row.nearestSite].id, name: sites[row.nearestSite].name } : null
		});
	const bands = parameters.bandsMinutes;
	const { demand } = inputs;
	const district = table('district')(
		coverageRow(
			inputs.districtCode,
			demand.map((_, i) => i),
			demand,
			coverage.demandSnap,
			nearest,
			bands
		)
	);
	const streets = coverageRows(demand, coverage.demandSnap, nearest, bands, (p) => p.streetCode).map(
		table('street')
	);
	const communities = coverageRows(demand, coverage.demandSnap, nearest, bands, (p) => p.communityCode).map(
		table('community')
	);
	const circleSeconds = parameters.minutes * 60;
	const gaps = demand.flatMap((point, i) =>
		nearest.seconds[i] > circleSeconds && point.weight > 0
			? [
					{
						cellId: point.cellId,
						lon: point.lon,
						lat: point.lat,
						elderly: point.weight,
						seconds: Number.isFinite(nearest.seconds[i]) ? Math.round(nearest.seconds[i]) : null
					}
				]
			: []
	);
	const kindSites = sites.flatMap((s, i) =>
		parameters.kind === ANY_KIND || s.kind === parameters.kind ? [i] : []
	);
	const speedBand = [...new Set([...SPEED_BAND_MPS, parameters.speedMps])]
		.sort((a, b) => a - b)
		.map((speedMps) => {
			const times =
				speedMps === parameters.speedMps
					? nearest
					: nearestSiteTimes(graph, coverage.demandSnap, coverage.siteSnap, kindSites, {
							speedMps,
							limitSeconds: circleSeconds
						});
			const covered = demand.reduce(
				(sum, point, i) => sum + (times.seconds[i] <= circleSeconds ? point.weight : 0),
				0
			);
			return { speedMps, covered, share: district.elderly > 0 ? covered / district.elderly : null };
		});
	return {
		districtCode: inputs.districtCode,
		parameters,
		speedBand,
		network: inputs.network,
		district,
		streets,
		communities,
		answer: circleAnswer(communities),
		gaps,
		sites: sites.map((site, i) => ({
			...site,
			snapMeters: Number.isFinite(coverage.siteSnap.snapMeters[i])
				? Math.round(coverage.siteSnap.snapMeters[i])
				: null
		})),
		elapsedMs: performance.now() - started
	};
}

/** The plan's question, answered per community. */
export function circleAnswer(
	communities: CoverageTableRow[],
	thresholdShare = CIRCLE_THRESHOLD_SHARE
): CoverageAnswer {
	const counted = communities.filter((c) => c.share !== null);
	return {
		communities: counted.length,
		fullyCovered: counted.filter((c) => c.uncovered <= 0).length,
		partlyCovered: counted.filter((c) => c.uncovered > 0 && c.share! > 0).length,
		notCovered: counted.filter((c) => c.share === 0).length,
		gaps: counted
			.filter((c) => c.share! < thresholdShare)
			.sort((a, b) => a.share! - b.share! || b.uncovered - a.uncovered)
			.map((c) => ({ code: c.code, name: c.name, share: c.share!, uncovered: c.uncovered })),
		thresholdShare
	};
}

export function requireGraph(inputs: PlanningInputs): WalkGraph {
	if (!inputs.graph)
		throw new PlanningInputError(
			'NO_NETWORK',
			`district ${inputs.districtCode} has no active walking network; import one first`
		);
	return inputs.graph;
}

export { ANY_KIND };
