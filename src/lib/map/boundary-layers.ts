/**
 * deck.gl layers of the boundaries map: the derived boundary lines (district outline thicker than
 * the lines between streets, the chosen one highlighted) and the boundary markers (界桩) coloured by
 * their condition. Data + accessors; a new selection changes `updateTriggers`, not the data.
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { FeatureCollection, MultiLineString } from 'geojson';
import type { MarkerCondition } from '../boundaries/marker';

export const BOUNDARY_LAYER_IDS = { lines: 'boundary-lines', markers: 'boundary-markers' } as const;

export interface LineProperties {
	id: number;
	lineCode: string;
	kind: 'street_street' | 'district_outline';
	name: string;
}

export interface PlacedMarker {
	id: number;
	number: string;
	condition: MarkerCondition;
	/** [lon, lat] in the basemap's CRS. */
	position: [number, number];
}

type Rgba = [number, number, number, number];

export const CONDITION_COLORS: Record<MarkerCondition, Rgba> = {
	intact: [34, 197, 94, 255],
	damaged: [245, 158, 11, 255],
	moved: [239, 68, 68, 255],
	missing: [148, 163, 184, 255]
};

export function buildBoundaryLayers(input: {
	lines: FeatureCollection<MultiLineString, LineProperties>;
	markers: PlacedMarker[];
	selectedLineId: number | null;
}): Layer[] {
	return [
		new GeoJsonLayer<LineProperties>({
			id: BOUNDARY_LAYER_IDS.lines,
			data: input.lines as never,
			stroked: true,
			filled: false,
			pickable: true,
			lineWidthUnits: 'pixels',
			getLineWidth: (f) =>
				f.properties.id === input.selectedLineId ? 6 : f.properties.kind === 'district_outline' ? 4 : 2.5,
			getLineColor: (f) =>
				f.properties.id === input.selectedLineId
					? [56, 189, 248, 255]
					: f.properties.kind === 'district_outline'
						? [226, 232, 240, 230]
						: [250, 204, 21, 220],
			updateTriggers: { getLineWidth: input.selectedLineId, getLineColor: input.selectedLineId }
		}),
		new ScatterplotLayer<PlacedMarker>({
			id: BOUNDARY_LAYER_IDS.markers,
			data: input.markers,
			pickable: true,
			radiusUnits: 'pixels',
			getRadius: 6,
			stroked: true,
			getLineColor: [15, 23, 42, 255],
			lineWidthUnits: 'pixels',
			getLineWidth: 1.5,
			getPosition: (m) => m.position,
			getFillColor: (m) => CONDITION_COLORS[m.condition]
		})
	];
}
