/**
 * Reads planning inputs from GeoJSON, whether uploaded on the planning page or given to
 * `npm run plan`: candidate sites, demand points and facilities. Every refusal names the feature
 * (by its position in the collection) and what is wrong with it, so a planner can fix the file.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { WalkGraph } from '../routing/walk-graph';
import type { CandidateSite } from './report';
import { PlanningInputError, type PlanningInputs } from './coverage-report';

type Json = Record<string, unknown>;

/** Features of a FeatureCollection that must all be Points; returns each with its properties. */
function pointFeatures(
	json: unknown,
	what: string
): { lon: number; lat: number; properties: Json; index: number }[] {
	const collection = json as Json | null;
	if (
		!collection ||
		typeof collection !== 'object' ||
		collection.type !== 'FeatureCollection' ||
		!Array.isArray(collection.features)
	)
		throw new PlanningInputError('BAD_SITE', `${what}: expected a GeoJSON FeatureCollection`);
	return (collection.features as unknown[]).map((feature, index) => {
		const f = feature as Json | null;
		const geometry = f?.geometry as Json | null | undefined;
		if (!geometry || geometry.type !== 'Point')
			throw new PlanningInputError(
				'BAD_SITE',
				`${what}, feature ${index + 1}: geometry must be a Point, got ${geometry?.type ?? 'none'}`
			);
		const [lon, lat] = (geometry.coordinates as unknown[]) ?? [];
		if (
			typeof lon !== 'number' ||
			typeof lat !== 'number' ||
			!(Math.abs(lon) <= 180) ||
			!(Math.abs(lat) <= 90)
		)
			throw new PlanningInputError(
				'BAD_SITE',
				`${what}, feature ${index + 1}: coordinates must be [longitude, latitude] in degrees (WGS-84)`
			);
		return { lon, lat, properties: (f!.properties as Json | null) ?? {}, index };
	});
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function candidatesFromGeoJson(
	json: unknown,
	source: CandidateSite['source'],
	defaultKind = 'community_station'
): CandidateSite[] {
	return pointFeatures(json, 'candidates').map(({ lon, lat, properties, index }) => {
		const capacity = properties.capacity ?? properties.beds;
		if (capacity !== undefined && capacity !== null && !(number(capacity)! >= 0))
			throw new PlanningInputError(
				'BAD_SITE',
				`candidates, feature ${index + 1}: capacity must be a number ≥ 0`
			);
		return {
			name: text(properties.name) ?? `#${index + 1}`,
			kind: text(properties.kind) ?? defaultKind,
			lon,
			lat,
			capacity: number(capacity),
			source
		};
	});
}

/** Demand points: `elderly` (or `weight`) residents each, with optional street and community codes. */
export function demandFromGeoJson(json: unknown) {
	return pointFeatures(json, 'demand').map(({ lon, lat, properties, index }) => {
		const weight = number(properties.elderly ?? properties.weight);
		if (weight === null || weight < 0)
			throw new PlanningInputError(
				'BAD_SITE',
				`demand, feature ${index + 1}: "elderly" must be a number ≥ 0`
			);
		return {
			cellId: text(properties.cellId ?? properties.id) ?? String(index + 1),
			lon,
			lat,
			weight,
			streetCode: text(properties.streetCode),
			communityCode: text(properties.communityCode ?? properties.regionCode)
		};
	});
}

/** Facilities (sites that already exist): a kind each, and beds as their capacity. */
export function facilitiesFromGeoJson(json: unknown) {
	return pointFeatures(json, 'facilities').map(({ lon, lat, properties, index }) => ({
		id: text(properties.id ?? properties.externalId) ?? String(index + 1),
		name: text(properties.name) ?? `#${index + 1}`,
		kind: text(properties.kind) ?? 'community_station',
		status: text(properties.status) ?? 'open',
		lon,
		lat,
		capacity: number(properties.beds ?? properties.capacity) || null,
		snapMeters: null
	}));
}

type RegionFeature = Feature<
	Polygon | MultiPolygon,
	{ code: string; level: string; name: string; parentCode?: string | null }
>;

/**
 * Everything an analysis needs, from GeoJSON: demand points are put into the community polygon they
 * fall in (and its street) when they do not say, and the facilities split into open sites and the
 * planned ones that are candidates.
 */
export function planningInputsFromGeoJson(files: {
	graph: WalkGraph;
	networkName: string;
	demand: unknown;
	facilities: unknown;
	regions: FeatureCollection | null;
	fallbackName: string;
}): PlanningInputs & { planned: CandidateSite[] } {
	const demand = demandFromGeoJson(files.demand);
	const facilities = facilitiesFromGeoJson(files.facilities);
	const regions = (files.regions?.features ?? []) as RegionFeature[];
	const communities = regions.filter((r) => r.properties.level === 'community');
	for (const point of demand) {
		if (point.communityCode) continue;
		const community = communities.find((c) => booleanPointInPolygon([point.lon, point.lat], c));
		point.communityCode = community?.properties.code ?? null;
		point.streetCode ??= community?.properties.parentCode ?? null;
	}
	const district = regions.find((r) => r.properties.level === 'district');
	return {
		districtCode: district?.properties.code ?? files.fallbackName,
		districtName: district?.properties.name ?? files.fallbackName,
		graph: files.graph,
		network: { name: files.networkName, provenance: 'file', nodeCount: files.graph.nodeCount },
		demand,
		regionNames: new Map(regions.map((r) => [r.properties.code, r.properties.name])),
		sites: facilities.filter((f) => f.status === 'open'),
		planned: facilities
			.filter((f) => f.status === 'planned' || f.status === 'building')
			.map((f) => ({
				name: f.name,
				kind: f.kind,
				lon: f.lon,
				lat: f.lat,
				capacity: f.capacity,
				source: 'planned' as const
			}))
	};
}
