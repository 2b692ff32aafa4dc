/**
 * Coordinate reference systems used in China: WGS-84 (GPS, OSM, our storage), GCJ-02 (the
 * obfuscated datum of AMap/Tencent maps) and BD-09 (Baidu). At Siming the GCJ-02 offset is about
 * 580 m, so every input must declare its CRS; everything is stored in WGS-84.
 */
import gcoord from 'gcoord';
import type { FeatureCollection, Geometry, Position } from 'geojson';

export const CRS_NAMES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_NAMES)[number];

const GCOORD_CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/**
 * Converts one [lon, lat] position between CRSs.
 * @example convertPosition([118.0894, 24.4798], 'gcj02', 'wgs84') // ≈ [118.0844, 24.4824], about 560 m south-west
 */
export function convertPosition(position: Position, from: Crs, to: Crs): Position {
	if (from === to) return [position[0], position[1]];
	const [lon, lat] = gcoord.transform([position[0], position[1]], GCOORD_CRS[from], GCOORD_CRS[to]);
	return [lon, lat];
}

/** Converts every position of a GeoJSON geometry; returns a new geometry. */
export function convertGeometry<G extends Geometry>(geometry: G, from: Crs, to: Crs): G {
	if (from === to) return structuredClone(geometry);
	const map = (coords: unknown): unknown =>
		typeof (coords as number[])[0] === 'number'
			? convertPosition(coords as Position, from, to)
			: (coords as unknown[]).map(map);
	if (geometry.type === 'GeometryCollection') {
		return { ...geometry, geometries: geometry.geometries.map((g) => convertGeometry(g, from, to)) };
	}
	return { ...geometry, coordinates: map(geometry.coordinates) } as G;
}

/**
 * The same collection with every geometry moved into the basemap's CRS, for display only: data stays
 * WGS-84 everywhere else. A WGS-84 basemap gets the collection back unchanged.
 */
export function forBasemap<C extends FeatureCollection>(collection: C, basemapCrs: Crs): C {
	if (basemapCrs === 'wgs84') return collection;
	return {
		...collection,
		features: collection.features.map((feature) => ({
			...feature,
			geometry: feature.geometry && convertGeometry(feature.geometry, 'wgs84', basemapCrs)
		}))
	};
}
