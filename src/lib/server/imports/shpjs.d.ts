// shpjs 6 ships no type declarations; this covers the one call the boundary importer makes.
declare module 'shpjs' {
	import type { FeatureCollection } from 'geojson';

	type ShapefileCollection = FeatureCollection & { fileName?: string };

	/** Reads a zipped shapefile (reprojecting to WGS-84 when a .prj is present); one collection per layer. */
	export default function shp(
		input: ArrayBuffer | Uint8Array | string
	): Promise<ShapefileCollection | ShapefileCollection[]>;
}
