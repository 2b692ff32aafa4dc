/**
 * deck.gl layers of the gazetteer's maps: street outlines for orientation, one dot per published
 * name coloured by class, the names a search found (highlighted), the before/after of a change under
 * review, and the geometry an editor is drawing (its vertices, and its line or polygon once it has
 * enough of them). Positions arrive already in the basemap's CRS.
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { RegionCollection, RegionFeature } from '../geo/features';
import { placeClass, type PlaceClassKey } from '../gazetteer/classes';
import { sketchGeometry, type Sketch, type Vertex } from '../gazetteer/sketch';
import { BOUNDARY_COLORS, HIGHLIGHT_COLOR, type Rgba } from './colors';

export const GAZETTEER_LAYER_IDS = {
	streets: 'gazetteer-streets',
	names: 'gazetteer-names',
	highlighted: 'gazetteer-highlighted',
	before: 'gazetteer-before',
	placed: 'gazetteer-placed',
	sketch: 'gazetteer-sketch'
} as const;

export const CLASS_COLORS: Record<PlaceClassKey, Rgba> = {
	administrative: [30, 64, 175, 255],
	community: [100, 116, 139, 255],
	residential: [161, 98, 7, 255],
	road: [71, 85, 105, 255],
	bridge: [120, 113, 108, 255],
	mountain: [22, 101, 52, 255],
	water: [14, 116, 144, 255],
	park: [101, 163, 13, 255],
	landmark: [190, 18, 60, 255],
	building: [87, 83, 78, 255],
	facility: [124, 58, 237, 255]
};
const BEFORE_COLOR: Rgba = [148, 163, 184, 230];
const PLACED_COLOR: Rgba = [219, 39, 119, 255];
const SKETCH_FILL: Rgba = [219, 39, 119, 50];

export interface MapName {
	id: number;
	name: string;
	pinyin: string;
	classCode: string;
	position: [number, number];
}

export interface GazetteerLayerInput {
	regions: RegionCollection;
	names: MapName[];
	highlighted: MapName[];
	/** Where a name under review was before the change. */
	before?: MapName[];
	/** What the editor is drawing. */
	sketch?: Sketch | null;
}

export function classColor(classCode: string): Rgba {
	const key = placeClass(classCode)?.key;
	return key ? CLASS_COLORS[key] : [71, 85, 105, 255];
}

export function buildGazetteerLayers({
	regions,
	names,
	highlighted,
	before = [],
	sketch = null
}: GazetteerLayerInput): Layer[] {
	const shape = sketch && sketch.kind !== 'point' ? sketchGeometry(sketch) : null;
	return [
		new GeoJsonLayer<RegionFeature['properties']>({
			id: GAZETTEER_LAYER_IDS.streets,
			data: regions.features.filter((f) => f.properties.level !== 'community') as never,
			pickable: false,
			filled: false,
			stroked: true,
			getLineColor: (f) => BOUNDARY_COLORS[f.properties.level],
			getLineWidth: (f) => (f.properties.level === 'district' ? 3 : 1.5),
			lineWidthUnits: 'pixels'
		}),
		new ScatterplotLayer<MapName>({
			id: GAZETTEER_LAYER_IDS.names,
			data: names,
			pickable: true,
			getPosition: (d) => d.position,
			getFillColor: (d) => classColor(d.classCode),
			getLineColor: [255, 255, 255, 255],
			stroked: true,
			lineWidthUnits: 'pixels',
			getLineWidth: 1,
			radiusUnits: 'pixels',
			getRadius: 4
		}),
		new ScatterplotLayer<MapName>({
			id: GAZETTEER_LAYER_IDS.before,
			data: before,
			pickable: true,
			getPosition: (d) => d.position,
			getFillColor: BEFORE_COLOR,
			radiusUnits: 'pixels',
			getRadius: 8
		}),
		new ScatterplotLayer<MapName>({
			id: GAZETTEER_LAYER_IDS.highlighted,
			data: highlighted,
			pickable: true,
			getPosition: (d) => d.position,
			getFillColor: (d) => classColor(d.classCode),
			getLineColor: HIGHLIGHT_COLOR,
			stroked: true,
			lineWidthUnits: 'pixels',
			getLineWidth: 3,
			radiusUnits: 'pixels',
			getRadius: 9
		}),
		new GeoJsonLayer({
			id: GAZETTEER_LAYER_IDS.sketch,
			data: shape ? [{ type: 'Feature', geometry: shape, properties: {} }] : [],
			// Pickable so a test can see it drawn; a click on it still places the next vertex.
			pickable: true,
			stroked: true,
			filled: true,
			getLineColor: PLACED_COLOR,
			getFillColor: SKETCH_FILL,
			getLineWidth: 3,
			lineWidthUnits: 'pixels'
		}),
		new ScatterplotLayer<Vertex>({
			id: GAZETTEER_LAYER_IDS.placed,
			// A published point is already drawn as the name itself; it shows here once it is moved.
			data: sketch && (sketch.kind !== 'point' || sketch.edited) ? sketch.vertices : [],
			pickable: false,
			getPosition: (d) => d,
			getFillColor: PLACED_COLOR,
			getLineColor: [255, 255, 255, 255],
			stroked: true,
			lineWidthUnits: 'pixels',
			getLineWidth: 2,
			radiusUnits: 'pixels',
			getRadius: 9
		})
	];
}
