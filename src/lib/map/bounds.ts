import { bbox } from '@turf/turf';
import type { Feature } from 'geojson';

/** The [[west, south], [east, north]] box of a feature, as MapLibre's fitBounds wants it. */
export function boundsOf(feature: Feature): [[number, number], [number, number]] {
	const [west, south, east, north] = bbox(feature);
	return [
		[west, south],
		[east, north]
	];
}
