/**
 * Builds a walking network from OpenStreetMap ways: which ways a pedestrian may use
 * (https://wiki.openstreetmap.org/wiki/Key:highway, Key:sidewalk, Key:foot, Key:access), split at
 * intersections into undirected edges with lengths in metres; ferry routes
 * (https://wiki.openstreetmap.org/wiki/Tag:route=ferry) become edges that cost waiting + crossing time.
 * One-way tags are ignored: they bind vehicles, not people on foot.
 */
import type { OsmData, OsmWay, Tags } from './read-osm';

export interface WalkNode {
	osmId: number;
	lon: number;
	lat: number;
}

export interface WalkEdge {
	/** Indexes into `nodes`. */
	from: number;
	to: number;
	lengthM: number;
	kind: 'walk' | 'ferry';
	wayId: number;
	/** Ferry only: waiting plus crossing time. */
	seconds?: number;
	coords: [number, number][];
}

export interface WalkNetwork {
	nodes: WalkNode[];
	edges: WalkEdge[];
	stats: {
		ways: number;
		walkableWays: number;
		ferryWays: number;
		skippedWays: number;
		/** Way node references the extract has no node for (usually ways clipped at its edge). */
		missingNodeRefs: number;
	};
}

export interface WalkNetworkOptions {
	/** Minutes spent waiting at the pier, added to every ferry crossing. Default 10. */
	ferryWaitMinutes?: number;
	/** Ferry cruising speed. Default 15 km/h. */
	ferrySpeedKmh?: number;
	/**
	 * Treat primary/secondary/tertiary roads with no sidewalk tag as walkable (trunks still need one).
	 * Default false. Many extracts tag no sidewalks at all (Monaco: none of its 559 such roads), and
	 * leaving those roads out splits the network into islands.
	 */
	assumeSidewalks?: boolean;
}

/** Ways open to people on foot unless tagged otherwise (https://wiki.openstreetmap.org/wiki/Key:highway). */
const WALKABLE = new Set([
	'footway',
	'path',
	'steps',
	'pedestrian',
	'living_street',
	'residential',
	'service',
	'unclassified',
	'track',
	'cycleway',
	'corridor'
]);
/**
 * Larger roads: walkable only with a mapped sidewalk (https://wiki.openstreetmap.org/wiki/Key:sidewalk)
 * or explicit foot access (https://wiki.openstreetmap.org/wiki/Key:foot); a separately mapped sidewalk
 * (`sidewalk=separate`) is its own footway, so the road itself is left out.
 */
const ARTERIAL = new Set([
	'primary',
	'primary_link',
	'secondary',
	'secondary_link',
	'tertiary',
	'tertiary_link'
]);
const TRUNK = new Set(['trunk', 'trunk_link']);
const SIDEWALK = new Set(['both', 'left', 'right', 'yes']);

const footAllowed = (tags: Tags) => tags.foot === 'yes' || tags.foot === 'designated';

/**
 * Whether a pedestrian may use this way. Motorways, roads under construction or only proposed, and
 * area=yes polygons (squares mapped as outlines, not lines to walk along) never are.
 */
export function isWalkable(tags: Tags, assumeSidewalks = false): boolean {
	const highway = tags.highway;
	if (!highway || tags.area === 'yes') return false;
	if (tags.foot === 'no') return false;
	// Key:access — access=no/private closes the way unless foot access is granted explicitly.
	if ((tags.access === 'no' || tags.access === 'private') && !footAllowed(tags)) return false;
	if (WALKABLE.has(highway)) return true;
	if (ARTERIAL.has(highway) || TRUNK.has(highway)) {
		if (footAllowed(tags)) return true;
		const sidewalk = tags.sidewalk ?? tags['sidewalk:both'];
		if (SIDEWALK.has(sidewalk ?? '')) return true;
		if (SIDEWALK.has(tags['sidewalk:left'] ?? '') || SIDEWALK.has(tags['sidewalk:right'] ?? '')) return true;
		const untagged = sidewalk === undefined && !tags['sidewalk:left'] && !tags['sidewalk:right'];
		return assumeSidewalks && ARTERIAL.has(highway) && untagged;
	}
	// motorway, motorway_link, construction, proposed, bus_guideway, raceway, ...
	return false;
}

export function isFerry(tags: Tags): boolean {
	return tags.route === 'ferry';
}

/** Great-circle distance in metres (haversine, mean Earth radius 6,371,008.8 m). */
export function haversineM(a: [number, number], b: [number, number]): number {
	const toRad = Math.PI / 180;
	const dLat = (b[1] - a[1]) * toRad;
	const dLon = (b[0] - a[0]) * toRad;
	const h =
		Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2;
	return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function buildWalkNetwork(osm: OsmData, options: WalkNetworkOptions = {}): WalkNetwork {
	const waitS = (options.ferryWaitMinutes ?? 10) * 60;
	const ferryMps = ((options.ferrySpeedKmh ?? 15) * 1000) / 3600;
	const stats = { ways: osm.ways.length, walkableWays: 0, ferryWays: 0, skippedWays: 0, missingNodeRefs: 0 };
	const kept: { way: OsmWay; kind: 'walk' | 'ferry' }[] = [];
	for (const way of osm.ways) {
		if (isFerry(way.tags)) {
			stats.ferryWays++;
			kept.push({ way, kind: 'ferry' });
		} else if (isWalkable(way.tags, options.assumeSidewalks)) {
			stats.walkableWays++;
			kept.push({ way, kind: 'walk' });
		} else stats.skippedWays++;
	}

	// A node used by two kept ways, or twice by one, is an intersection; way ends are graph nodes too.
	const uses = new Map<number, number>();
	for (const { way } of kept) for (const ref of way.refs) uses.set(ref, (uses.get(ref) ?? 0) + 1);

	const nodes: WalkNode[] = [];
	const indexOf = new Map<number, number>();
	const nodeIndex = (ref: number) => {
		let index = indexOf.get(ref);
		if (index === undefined) {
			const [lon, lat] = osm.nodes.get(ref)!;
			index = nodes.push({ osmId: ref, lon, lat }) - 1;
			indexOf.set(ref, index);
		}
		return index;
	};

	const edges: WalkEdge[] = [];
	const addEdge = (way: OsmWay, kind: 'walk' | 'ferry', refs: number[]) => {
		const coords = refs.map((ref) => osm.nodes.get(ref)!);
		let lengthM = 0;
		for (let i = 1; i < coords.length; i++) lengthM += haversineM(coords[i - 1], coords[i]);
		if (lengthM === 0) return; // a node repeated back to back: nothing to walk
		const edge: WalkEdge = {
			from: nodeIndex(refs[0]),
			to: nodeIndex(refs[refs.length - 1]),
			lengthM,
			kind,
			wayId: way.id,
			coords
		};
		if (kind === 'ferry') edge.seconds = Math.round(waitS + lengthM / ferryMps);
		edges.push(edge);
	};
	for (const { way, kind } of kept) {
		// A missing node breaks the way: each run of present nodes on either side is kept on its own.
		let run: number[] = [];
		for (const ref of [...way.refs, NaN]) {
			if (osm.nodes.has(ref)) {
				run.push(ref);
				continue;
			}
			if (!Number.isNaN(ref)) stats.missingNodeRefs++;
			if (run.length >= 2) {
				const cuts = [0];
				for (let i = 1; i < run.length - 1; i++) if ((uses.get(run[i]) ?? 0) > 1) cuts.push(i);
				// A closed way with no other junction would become a loop from a node to itself; cut it in
				// half so both halves stay reachable for snapping.
				if (cuts.length === 1 && run[0] === run[run.length - 1] && run.length > 2) {
					cuts.push(Math.floor(run.length / 2));
				}
				cuts.push(run.length - 1);
				for (let c = 1; c < cuts.length; c++) addEdge(way, kind, run.slice(cuts[c - 1], cuts[c] + 1));
			}
			run = [];
		}
	}
	return { nodes, edges, stats };
}

/** Component id of every node (union-find over the edges); islands without a ferry stay apart. */
export function connectedComponents(network: Pick<WalkNetwork, 'nodes' | 'edges'>): number[] {
	const parent = network.nodes.map((_, i) => i);
	const find = (i: number): number => {
		while (parent[i] !== i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	};
	for (const edge of network.edges) {
		const a = find(edge.from);
		const b = find(edge.to);
		if (a !== b) parent[a] = b;
	}
	return network.nodes.map((_, i) => find(i));
}
