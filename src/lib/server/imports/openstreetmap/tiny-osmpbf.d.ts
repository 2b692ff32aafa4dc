declare module 'tiny-osmpbf' {
	interface TinyOsmElement {
		type: 'node' | 'way' | 'relation';
		id: number;
		lat?: number;
		lon?: number;
		tags?: Record<string, string>;
		nodes?: number[];
		members?: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
	}
	/** Decodes a whole .osm.pbf buffer (https://wiki.openstreetmap.org/wiki/PBF_Format) into OSM JSON. */
	function tinyosmpbf(buffer: Uint8Array): { elements: TinyOsmElement[] };
	export default tinyosmpbf;
}
