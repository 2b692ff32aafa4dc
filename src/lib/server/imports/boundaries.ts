/**
 * Pure readers for region boundary files (GeoJSON or zipped Shapefile). They check the shape of the
 * data only — codes, geometry, coordinates — and return WGS-84 multipolygons; the caller matches the
 * codes against the official register in the database.
 */
import { kinks } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import shp from 'shpjs';
import { convertGeometry, type Crs } from '../../geo/crs';
import { normaliseRegionCode, type ParseResult, type Rejected, type RegionLevel } from './import-result';

export interface BoundaryRecord {
	/** 1-based feature number, as in Rejected.row, so later checks by the caller can reject it too. */
	row: number;
	/** Normalised statistical code: 6 (district), 9 (street) or 12 (community) digits. */
	code: string;
	level: RegionLevel;
	name: string | null;
	/** WGS-84; a Polygon input is promoted to a one-part MultiPolygon. */
	geometry: MultiPolygon;
}

export interface BoundaryImportOptions {
	/** CRS of the coordinates in the file. */
	crs: Crs;
	/** Property holding the code; by default the first present of `code`, `adcode`, `stat_code`, `CODE`. */
	codeProperty?: string;
	/** Property holding the name; by default the first present of `name`, `NAME`. */
	nameProperty?: string;
}

const DEFAULT_CODE_PROPERTIES = ['code', 'adcode', 'stat_code', 'CODE'];
const DEFAULT_NAME_PROPERTIES = ['name', 'NAME'];

/**
 * Reads a GeoJSON FeatureCollection of region boundaries. A file that is not JSON or not a
 * FeatureCollection yields a single rejection on row 0 rather than an exception, so the upload
 * handler reports every kind of bad input the same way.
 */
export function parseBoundaryGeoJson(
	text: string,
	options: BoundaryImportOptions
): ParseResult<BoundaryRecord> {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		return wholeFileRejected(`file is not valid JSON: ${(error as Error).message}`);
	}
	if (!isObject(data) || data.type !== 'FeatureCollection' || !Array.isArray(data.features)) {
		const type = isObject(data) && typeof data.type === 'string' ? `a ${data.type}` : 'not GeoJSON';
		return wholeFileRejected(`file is ${type}, expected a FeatureCollection`);
	}
	return readFeatures(data.features, options);
}

/**
 * Reads a zipped Shapefile of region boundaries. shpjs reprojects to WGS-84 itself when the zip holds
 * a .prj, so `crs` only matters for GCJ-02/BD-09 data (whose .prj, if any, says WGS-84 because those
 * datums have no official definition). Several layers in one zip are read one after the other and
 * numbered as one sequence of features.
 */
export async function parseBoundaryShapefileZip(
	bytes: ArrayBuffer | Uint8Array,
	options: BoundaryImportOptions
): Promise<ParseResult<BoundaryRecord>> {
	let layers;
	try {
		layers = await shp(bytes);
	} catch (error) {
		return wholeFileRejected(`file is not a readable zipped shapefile: ${(error as Error).message}`);
	}
	const features = (Array.isArray(layers) ? layers : [layers]).flatMap((layer) => layer.features);
	return readFeatures(features, options);
}

function readFeatures(features: unknown[], options: BoundaryImportOptions): ParseResult<BoundaryRecord> {
	const result: ParseResult<BoundaryRecord> = { accepted: [], rejected: [] };
	const firstSeen = new Map<string, number>();
	features.forEach((feature, index) => {
		const row = index + 1;
		const record = readFeature(feature, row, options);
		if (typeof record === 'string') {
			result.rejected.push({ row, reason: record });
			return;
		}
		const seen = firstSeen.get(record.code);
		if (seen !== undefined) {
			result.rejected.push({ row, reason: `duplicate code ${record.code} (first seen on feature ${seen})` });
			return;
		}
		firstSeen.set(record.code, row);
		result.accepted.push(record);
	});
	return result;
}

/** Returns the record, or the reason it was refused. */
function readFeature(feature: unknown, row: number, options: BoundaryImportOptions): BoundaryRecord | string {
	if (!isObject(feature) || feature.type !== 'Feature') return 'item is not a GeoJSON Feature';
	const properties = isObject(feature.properties) ? feature.properties : {};

	const codeKey = options.codeProperty ?? DEFAULT_CODE_PROPERTIES.find((key) => properties[key] != null);
	const rawCode = codeKey === undefined ? undefined : properties[codeKey];
	if (rawCode == null || rawCode === '') return `code is missing (looked for ${codeKeysLabel(options)})`;
	// Shapefile DBF numeric fields arrive as numbers; 12 digits still fit exactly in a double.
	const codeText = typeof rawCode === 'number' && Number.isInteger(rawCode) ? String(rawCode) : rawCode;
	const region = typeof codeText === 'string' ? normaliseRegionCode(codeText) : null;
	if (!region) return `code ${String(rawCode)} is not a 6-, 9- or 12-digit statistical code`;

	const geometry = readGeometry(feature.geometry);
	if (typeof geometry === 'string') return geometry;

	const nameKey = options.nameProperty ?? DEFAULT_NAME_PROPERTIES.find((key) => properties[key] != null);
	const rawName = nameKey === undefined ? undefined : properties[nameKey];
	const name = rawName == null || String(rawName).trim() === '' ? null : String(rawName).trim();

	return { row, ...region, name, geometry: convertGeometry(geometry, options.crs, 'wgs84') };
}

/** Checks structure, coordinate ranges and validity; returns a MultiPolygon or the reason it was refused. */
function readGeometry(geometry: unknown): MultiPolygon | string {
	if (!isObject(geometry)) return 'geometry is missing';
	if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
		return `geometry is a ${String(geometry.type)}, expected Polygon or MultiPolygon`;
	}
	const polygons: unknown = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
	if (!Array.isArray(polygons) || polygons.length === 0) return 'geometry has no coordinates';
	for (const polygon of polygons) {
		if (!Array.isArray(polygon) || polygon.length === 0) return 'geometry has a polygon without rings';
		for (const ring of polygon) {
			if (!Array.isArray(ring) || ring.length < 4) return 'geometry has a ring with fewer than 4 positions';
			for (const position of ring) {
				const problem = positionProblem(position);
				if (problem) return problem;
			}
			const first = ring[0] as Position;
			const last = ring[ring.length - 1] as Position;
			if (first[0] !== last[0] || first[1] !== last[1]) return 'geometry has a ring that is not closed';
		}
	}
	const multi: MultiPolygon = { type: 'MultiPolygon', coordinates: polygons as Position[][][] };
	// kinks (rings crossing themselves or each other) is cheap arithmetic; turf's booleanValid is not
	// used because its spike check builds objects for every vertex pair, too slow for real boundaries.
	// Checked before the CRS shift, which moves a whole street by a few hundred metres but keeps its shape.
	const polygonsWithKinks = multi.coordinates.filter(
		(rings) => kinks({ type: 'Polygon', coordinates: rings } satisfies Polygon).features.length > 0
	);
	if (polygonsWithKinks.length > 0) return 'geometry is not valid: self-intersection';
	return multi;
}

function positionProblem(position: unknown): string | null {
	if (!Array.isArray(position) || position.length < 2)
		return 'geometry has a position that is not [lon, lat]';
	const [lon, lat] = position as unknown[];
	if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
		return 'geometry has a position that is not a pair of numbers';
	}
	if (lon < -180 || lon > 180) return `geometry has lon ${lon} outside -180..180`;
	if (lat < -90 || lat > 90) return `geometry has lat ${lat} outside -90..90`;
	return null;
}

function codeKeysLabel(options: BoundaryImportOptions): string {
	return (options.codeProperty ? [options.codeProperty] : DEFAULT_CODE_PROPERTIES).join(', ');
}

function wholeFileRejected(reason: string): ParseResult<BoundaryRecord> {
	const rejected: Rejected[] = [{ row: 0, reason }];
	return { accepted: [], rejected };
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
