/**
 * Walking-time coverage of elderly demand by facilities, as pure functions over a walking graph:
 * snap demand points and sites to the network once, run one multi-source search per facility kind,
 * then count the elderly within each time band by street and community. Called by the planning
 * server, the `npm run plan` CLI and the benchmarks.
 */
import { nearestNode, walkingSecondsFromNearest, type WalkGraph } from '../routing/walk-graph';
import { MAX_SNAP_METERS } from '../routing/walking-area';

export interface DemandPoint {
	lon: number;
	lat: number;
	/** Elderly residents represented by the point. */
	weight: number;
	streetCode: string | null;
	communityCode: string | null;
}

export interface SitePoint {
	lon: number;
	lat: number;
	kind: string;
}

/** Each point's network node (-1 when it lies beyond the snapping distance) and how far away it is. */
export interface SnappedPoints {
	node: Int32Array;
	snapMeters: Float64Array;
}

/** Points further than MAX_SNAP_METERS from any walkway are off the network, not walked to. */
export function snapPoints(
	graph: WalkGraph,
	points: { lon: number; lat: number }[],
	maxMeters = MAX_SNAP_METERS
): SnappedPoints {
	const node = new Int32Array(points.length).fill(-1);
	const snapMeters = new Float64Array(points.length).fill(Infinity);
	points.forEach((p, i) => {
		const nearest = nearestNode(graph, [p.lon, p.lat], maxMeters);
		if (!nearest) return;
		node[i] = nearest.node;
		snapMeters[i] = nearest.meters;
	});
	return { node, snapMeters };
}

/** Per demand point: seconds to the nearest of the given sites (Infinity beyond the limit) and which site. */
export interface NearestSites {
	seconds: Float64Array;
	site: Int32Array;
}

/**
 * Seconds from every demand point to its nearest site among `siteIndices`, walking the snapping
 * distance at both ends, by one search from all those sites at once.
 */
export function nearestSiteTimes(
	graph: WalkGraph,
	demand: SnappedPoints,
	sites: SnappedPoints,
	siteIndices: number[],
	options: { speedMps: number; limitSeconds: number }
): NearestSites {
	const sources = siteIndices
		.filter((s) => sites.node[s] >= 0)
		.map((s) => ({ site: s, node: sites.node[s], seconds: sites.snapMeters[s] / options.speedMps }));
	const tree = walkingSecondsFromNearest(graph, sources, options);
	const count = demand.node.length;
	const seconds = new Float64Array(count).fill(Infinity);
	const site = new Int32Array(count).fill(-1);
	for (let i = 0; i < count; i++) {
		const node = demand.node[i];
		if (node < 0 || tree.origin[node] < 0) continue;
		const total = tree.seconds[node] + demand.snapMeters[i] / options.speedMps;
		if (total > options.limitSeconds) continue;
		seconds[i] = total;
		site[i] = sources[tree.origin[node]].site;
	}
	return { seconds, site };
}

export interface CoverageOptions {
	speedMps: number;
	/** Time bands to count, in minutes, ascending; the last is the circle (15). */
	bandsMinutes: number[];
	/** How far to search for the nearest facility at all; beyond it a point is "out of reach". */
	limitSeconds: number;
}

/** Nearest-site times for all sites together ('any') and for each kind present. */
export interface DemandCoverage {
	demandSnap: SnappedPoints;
	siteSnap: SnappedPoints;
	byKind: Map<string, NearestSites>;
}

export const ANY_KIND = 'any';

export function demandCoverage(
	graph: WalkGraph,
	demand: DemandPoint[],
	sites: SitePoint[],
	options: CoverageOptions
): DemandCoverage {
	const demandSnap = snapPoints(graph, demand);
	const siteSnap = snapPoints(graph, sites);
	const byKind = new Map<string, NearestSites>();
	const search = { speedMps: options.speedMps, limitSeconds: options.limitSeconds };
	byKind.set(
		ANY_KIND,
		nearestSiteTimes(
			graph,
			demandSnap,
			siteSnap,
			sites.map((_, i) => i),
			search
		)
	);
	for (const kind of new Set(sites.map((s) => s.kind))) {
		const indices = sites.flatMap((s, i) => (s.kind === kind ? [i] : []));
		byKind.set(kind, nearestSiteTimes(graph, demandSnap, siteSnap, indices, search));
	}
	return { demandSnap, siteSnap, byKind };
}

/** One line of a coverage table: a street, a community, or the whole district. */
export interface CoverageRow {
	code: string;
	elderly: number;
	/** Elderly within each band of `bandsMinutes`, cumulative (within 5, within 10, within 15). */
	within: number[];
	/** Share of the elderly within the last band, 0 … 1 (null for a region without elderly). */
	share: number | null;
	uncovered: number;
	/** Elderly whose home is beyond the snapping distance of any walkway. */
	offNetwork: number;
	/** Demand-weighted median seconds to the nearest site (Infinity when most are out of reach). */
	medianSeconds: number | null;
	/** The site that is nearest for most of the region's elderly (-1 when none is in reach). */
	nearestSite: number;
}

/**
 * Counts a nearest-site result into rows, one per group code (`groupOf` returns null for points that
 * belong to no group, which still count in the district total). Within counts are cumulative.
 */
export function coverageRows(
	demand: DemandPoint[],
	demandSnap: SnappedPoints,
	nearest: NearestSites,
	bandsMinutes: number[],
	groupOf: (point: DemandPoint) => string | null
): CoverageRow[] {
	const groups = new Map<string, number[]>();
	demand.forEach((point, i) => {
		const code = groupOf(point);
		if (code === null) return;
		const members = groups.get(code);
		if (members) members.push(i);
		else groups.set(code, [i]);
	});
	return [...groups.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([code, members]) => coverageRow(code, members, demand, demandSnap, nearest, bandsMinutes));
}

export function coverageRow(
	code: string,
	members: number[],
	demand: DemandPoint[],
	demandSnap: SnappedPoints,
	nearest: NearestSites,
	bandsMinutes: number[]
): CoverageRow {
	const within = bandsMinutes.map(() => 0);
	const votes = new Map<number, number>();
	let elderly = 0;
	let offNetwork = 0;
	for (const i of members) {
		const weight = demand[i].weight;
		elderly += weight;
		if (demandSnap.node[i] < 0) offNetwork += weight;
		const seconds = nearest.seconds[i];
		bandsMinutes.forEach((minutes, band) => {
			if (seconds <= minutes * 60) within[band] += weight;
		});
		if (nearest.site[i] >= 0) votes.set(nearest.site[i], (votes.get(nearest.site[i]) ?? 0) + weight);
	}
	let nearestSite = -1;
	for (const [site, weight] of votes) {
		if (
			nearestSite < 0 ||
			weight > votes.get(nearestSite)! ||
			(weight === votes.get(nearestSite) && site < nearestSite)
		)
			nearestSite = site;
	}
	const covered = within[within.length - 1] ?? 0;
	return {
		code,
		elderly,
		within,
		share: elderly > 0 ? covered / elderly : null,
		uncovered: elderly - covered,
		offNetwork,
		medianSeconds: weightedMedian(members.map((i) => [nearest.seconds[i], demand[i].weight])),
		nearestSite
	};
}

/** The weighted median of (value, weight) pairs; null when the weights add up to nothing. */
export function weightedMedian(pairs: [number, number][]): number | null {
	const total = pairs.reduce((sum, [, w]) => sum + w, 0);
	if (total <= 0) return null;
	const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
	let running = 0;
	for (const [value, weight] of sorted) {
		running += weight;
		if (running >= total / 2) return value;
	}
	return sorted[sorted.length - 1][0];
}
