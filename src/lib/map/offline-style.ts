/**
 * The default basemap when no BASEMAP_STYLE is configured: drawn only from the district's own
 * outline (sea and land), so the map works with no internet and no tile server.
 */
import type { StyleSpecification } from 'maplibre-gl';
import type { RegionFeature } from '../geo/features';

export function offlineStyle(district: RegionFeature | undefined): StyleSpecification {
	return {
		version: 8,
		sources: {
			land: {
				type: 'geojson',
				data: district ?? { type: 'FeatureCollection', features: [] }
			}
		},
		layers: [
			{ id: 'sea', type: 'background', paint: { 'background-color': '#c9dcea' } },
			{ id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f5f2ea' } }
		]
	};
}
