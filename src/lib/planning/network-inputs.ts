/**
 * Walking graphs from files, for `npm run plan` on data from elsewhere: the compact network a
 * district ships (`geo/<district>/walk-network.json`) or a GeoJSON collection of LineStrings whose
 * ends meet where lines share a coordinate. (OpenStreetMap extracts go through the OSM importer.)
 */
import { buildWalkGraph, haversineMeters, type GraphEdge, type WalkGraph } from '../routing/walk-graph';
import { PlanningInputError } from './coverage-report';

type Json = Record<string, unknown>;

/** `{ nodes: [[lon, lat]…], edges: [[from, to, metres, ferrySecondsOr0]…] }`. */
export function graphFromShippedNetwork(json: unknown): WalkGraph {
	const network = json as { nodes?: unknown; edges?: unknown } | null;
	if (!network || !Array.isArray(network.nodes) || !Array.isArray(network.edges))
		throw new PlanningInputError(
			'BAD_PARAMETER',
			'network: expected { nodes: [[lon, lat]…], edges: [[from, to, metres, seconds]…] }'
		);
	const nodes = (network.nodes as [number, number][]).map(([lon, lat]) => ({ lon, lat }));
	const edges = (network.edges as [number, number, number, number][]).map(([from, to, lengthM, seconds]) => ({
		from,
		to,
		lengthM,
		seconds: seconds > 0 ? seconds : null
	}));
	return wrap(() => buildWalkGraph(nodes, edges));
}

/**
 * LineStrings (and MultiLineStrings) as walkways; a line with `properties.seconds` is a ferry that
 * takes that long whatever its length. Coordinates equal to 7 decimals (≈ 1 cm) are one node.
 */
export function graphFromGeoJsonLines(json: unknown): WalkGraph {
	const collection = json as Json | null;
	if (!collection || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features))
		throw new PlanningInputError(
			'BAD_PARAMETER',
			'network: expected a GeoJSON FeatureCollection of LineStrings'
		);
	const index = new Map<string, number>();
	const nodes: { lon: number; lat: number }[] = [];
	const nodeAt = ([lon, lat]: number[]) => {
		const key = `${lon.toFixed(7)},${lat.toFixed(7)}`;
		let i = index.get(key);
		if (i === undefined) {
			i = nodes.push({ lon, lat }) - 1;
			index.set(key, i);
		}
		return i;
	};
	const edges: GraphEdge[] = [];
	(collection.features as Json[]).forEach((feature, n) => {
		const geometry = feature?.geometry as Json | undefined;
		const lines =
			geometry?.type === 'LineString'
				? [geometry.coordinates as number[][]]
				: geometry?.type === 'MultiLineString'
					? (geometry.coordinates as number[][][])
					: null;
		if (!lines)
			throw new PlanningInputError(
				'BAD_PARAMETER',
				`network, feature ${n + 1}: geometry must be a LineString, got ${geometry?.type ?? 'none'}`
			);
		const seconds = Number((feature.properties as Json | null)?.seconds) || null;
		const segments: GraphEdge[] = [];
		for (const line of lines) {
			if (!line.every((c) => Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number'))
				throw new PlanningInputError(
					'BAD_PARAMETER',
					`network, feature ${n + 1}: coordinates must be [longitude, latitude] pairs`
				);
			for (let k = 1; k < line.length; k++) {
				const from = nodeAt(line[k - 1]);
				const to = nodeAt(line[k]);
				if (from === to) continue;
				const lengthM = haversineMeters(line[k - 1] as [number, number], line[k] as [number, number]);
				segments.push({ from, to, lengthM, seconds: null });
			}
		}
		// A ferry takes its stated time once, shared among its segments by length.
		const total = segments.reduce((sum, s) => sum + s.lengthM, 0);
		for (const segment of segments) {
			if (seconds !== null)
				segment.seconds = total > 0 ? (seconds * segment.lengthM) / total : seconds / segments.length;
			edges.push(segment);
		}
	});
	return wrap(() => buildWalkGraph(nodes, edges));
}

function wrap(build: () => WalkGraph): WalkGraph {
	try {
		return build();
	} catch (failure) {
		throw new PlanningInputError('BAD_PARAMETER', `network: ${(failure as Error).message}`);
	}
}
