/**
 * deck.gl layers of the district map: boundaries by level, facilities by kind, place labels, and
 * the optional elderly-population, walking-network and 15-minute-circle layers, with the straight-line
 * circles as an outline for comparison (the dispatch console's incidents and responders are drawn
 * above them by dispatch-layers.ts).
 * Layers are data + accessors; a new selection changes only `updateTriggers`, not the data.
 */
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type {
	FacilityCircleCollection,
	FacilityCircleProperties,
	FacilityCollection,
	FacilityFeature,
	FacilityProperties,
	PopulationCellCollection,
	RegionCollection,
	RegionFeature,
	RegionLevel,
	WalkNetworkCollection
} from '../geo/features';
import {
	BOUNDARY_COLORS,
	EUCLIDEAN_CIRCLE_COLOR,
	FACILITY_COLORS,
	NOT_OPEN_FILL,
	WALK_COLORS,
	elderlyColor,
	type Rgba
} from './colors';

export const LAYER_IDS = {
	district: 'boundary-district',
	street: 'boundary-street',
	community: 'boundary-community',
	facilities: 'facilities',
	labels: 'labels',
	population: 'population-cells',
	walk: 'walk-network',
	circles: 'facility-circles',
	euclideanCircles: 'facility-circles-euclidean'
} as const;

const LINE_WIDTH_PX: Record<RegionLevel, number> = { district: 4, street: 2.5, community: 1 };
/** Community names only appear once the map is zoomed in enough to hold them. */
const COMMUNITY_LABEL_MIN_ZOOM = 14;

export interface DistrictLayerInput {
	regions: RegionCollection;
	facilities: FacilityCollection;
	selectedId: string | number | null;
	zoom: number;
	/** Optional layers, drawn when loaded and switched on. */
	populationCells?: PopulationCellCollection | null;
	walkNetwork?: WalkNetworkCollection | null;
	facilityCircles?: FacilityCircleCollection | null;
	euclideanCircles?: FacilityCircleCollection | null;
}

function regionsAt(regions: RegionCollection, level: RegionLevel): RegionFeature[] {
	return regions.features.filter((f) => f.properties.level === level);
}

const SELECTED_RING: Rgba = [250, 204, 21, 255];
const OPEN_RING: Rgba = [255, 255, 255, 255];

/**
 * How a facility's dot is drawn: filled in its kind's colour when open; hollow, ringed in that
 * colour, when it is not (planned, being built, closed), so nobody takes a planned site for a service.
 */
export function facilityMarker(
	facility: Pick<FacilityProperties, 'kind' | 'status'>,
	selected: boolean
): { fill: Rgba; ring: Rgba; ringWidthPx: number } {
	const open = facility.status === 'open';
	const colour = FACILITY_COLORS[facility.kind];
	return {
		fill: open ? colour : NOT_OPEN_FILL,
		ring: selected ? SELECTED_RING : open ? OPEN_RING : colour,
		ringWidthPx: selected ? 3 : open ? 1.5 : 2.5
	};
}

export function buildDistrictLayers({
	regions,
	facilities,
	selectedId,
	zoom,
	populationCells,
	walkNetwork,
	facilityCircles,
	euclideanCircles
}: DistrictLayerInput): Layer[] {
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

	const maxElderly = populationCells
		? Math.max(1, ...populationCells.features.map((f) => f.properties.elderly))
		: 1;

	return [
		populationCells &&
			new GeoJsonLayer<PopulationCellCollection['features'][number]['properties']>({
				id: LAYER_IDS.population,
				data: populationCells.features as never,
				pickable: true,
				stroked: false,
				getFillColor: (f) => elderlyColor(f.properties.elderly / maxElderly),
				updateTriggers: { getFillColor: maxElderly }
			}),
		walkNetwork &&
			new GeoJsonLayer<WalkNetworkCollection['features'][number]['properties']>({
				id: LAYER_IDS.walk,
				data: walkNetwork.features as never,
				pickable: false,
				getLineColor: (f) => WALK_COLORS[f.properties.kind],
				getLineWidth: (f) => (f.properties.kind === 'ferry' ? 3 : 1),
				lineWidthUnits: 'pixels'
			}),
		facilityCircles &&
			new GeoJsonLayer<FacilityCircleProperties>({
				id: LAYER_IDS.circles,
				data: facilityCircles.features as never,
				// Pickable for the map's own checks of what is drawn; a click on one selects nothing.
				pickable: true,
				stroked: true,
				// Overlaps add up, so a gap between circles shows as the plain basemap.
				getFillColor: (f) => [...FACILITY_COLORS[f.properties.kind].slice(0, 3), 28] as never,
				getLineColor: (f) => [...FACILITY_COLORS[f.properties.kind].slice(0, 3), 150] as never,
				getLineWidth: 1,
				lineWidthUnits: 'pixels'
			}),
		euclideanCircles &&
			new GeoJsonLayer<FacilityCircleProperties>({
				id: LAYER_IDS.euclideanCircles,
				data: euclideanCircles.features as never,
				pickable: true,
				// Outline only: no one walks the straight line, so it must not read as covered ground.
				filled: false,
				stroked: true,
				getLineColor: EUCLIDEAN_CIRCLE_COLOR,
				getLineWidth: 1.5,
				lineWidthUnits: 'pixels'
			}),
		boundary('community'),
		boundary('street'),
		boundary('district'),
		new ScatterplotLayer<FacilityFeature>({
			id: LAYER_IDS.facilities,
			data: facilities.features,
			pickable: true,
			getPosition: (f) => f.geometry.coordinates as [number, number],
			getFillColor: (f) => facilityMarker(f.properties, f.id === selectedId).fill,
			getLineColor: (f) => facilityMarker(f.properties, f.id === selectedId).ring,
			getRadius: (f) => (f.properties.kind === 'community_station' ? 6 : 9),
			radiusUnits: 'pixels',
			stroked: true,
			getLineWidth: (f) => facilityMarker(f.properties, f.id === selectedId).ringWidthPx,
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
	].filter(Boolean) as Layer[];
}
