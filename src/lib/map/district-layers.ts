/**
 * deck.gl layers of the district map: boundaries by level, facilities by kind, place labels.
 * Layers are data + accessors; a new selection changes only `updateTriggers`, not the data.
 */
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type {
	FacilityCollection,
	FacilityFeature,
	RegionCollection,
	RegionFeature,
	RegionLevel
} from '../geo/features';
import { BOUNDARY_COLORS, FACILITY_COLORS } from './colors';

export const LAYER_IDS = {
	district: 'boundary-district',
	street: 'boundary-street',
	community: 'boundary-community',
	facilities: 'facilities',
	labels: 'labels'
} as const;

const LINE_WIDTH_PX: Record<RegionLevel, number> = { district: 4, street: 2.5, community: 1 };
/** Community names only appear once the map is zoomed in enough to hold them. */
const COMMUNITY_LABEL_MIN_ZOOM = 14;

export interface DistrictLayerInput {
	regions: RegionCollection;
	facilities: FacilityCollection;
	selectedId: string | number | null;
	zoom: number;
}

function regionsAt(regions: RegionCollection, level: RegionLevel): RegionFeature[] {
	return regions.features.filter((f) => f.properties.level === level);
}

export function buildDistrictLayers({ regions, facilities, selectedId, zoom }: DistrictLayerInput): Layer[] {
	const boundary = (level: RegionLevel) =>
		new GeoJsonLayer<RegionFeature['properties']>({
			id: LAYER_IDS[level],
			data: regionsAt(regions, level) as never,
			pickable: level !== 'district',
			stroked: true,
			filled: level !== 'district',
			// A nearly transparent fill makes the whole cell clickable without hiding the basemap.
			getFillColor: (f) => (f.id === selectedId ? [250, 204, 21, 90] : [255, 255, 255, 1]),
			getLineColor: BOUNDARY_COLORS[level],
			getLineWidth: LINE_WIDTH_PX[level],
			lineWidthUnits: 'pixels',
			updateTriggers: { getFillColor: selectedId }
		});

	const labelData = regions.features.filter(
		(f) =>
			f.properties.level === 'street' ||
			(f.properties.level === 'community' && zoom >= COMMUNITY_LABEL_MIN_ZOOM)
	);

	return [
		boundary('community'),
		boundary('street'),
		boundary('district'),
		new ScatterplotLayer<FacilityFeature>({
			id: LAYER_IDS.facilities,
			data: facilities.features,
			pickable: true,
			getPosition: (f) => f.geometry.coordinates as [number, number],
			getFillColor: (f) => FACILITY_COLORS[f.properties.kind],
			getLineColor: (f) => (f.id === selectedId ? [250, 204, 21, 255] : [255, 255, 255, 255]),
			getRadius: (f) => (f.properties.kind === 'community_station' ? 6 : 9),
			radiusUnits: 'pixels',
			stroked: true,
			getLineWidth: (f) => (f.id === selectedId ? 3 : 1.5),
			lineWidthUnits: 'pixels',
			updateTriggers: { getLineColor: selectedId, getLineWidth: selectedId }
		}),
		new TextLayer<RegionFeature>({
			id: LAYER_IDS.labels,
			data: labelData,
			characterSet: 'auto',
			fontFamily: "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', sans-serif",
			getPosition: (f) => f.properties.labelPoint,
			getText: (f) => f.properties.name,
			getSize: (f) => (f.properties.level === 'street' ? 18 : 12),
			getColor: (f) => (f.properties.level === 'street' ? [30, 41, 59, 255] : [71, 85, 105, 255]),
			outlineWidth: 3,
			outlineColor: [255, 255, 255, 230],
			fontSettings: { sdf: true },
			getTextAnchor: 'middle',
			getAlignmentBaseline: 'bottom',
			// Lift the name above the facility dot that sits on the same label point.
			getPixelOffset: [0, -10]
		})
	];
}
