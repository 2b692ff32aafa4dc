/**
 * Picks the eldercare and medical places out of an extract's tagged nodes
 * (https://wiki.openstreetmap.org/wiki/Tag:amenity=social_facility, Key:social_facility:for,
 * Tag:amenity=nursing_home, Tag:amenity=clinic, Tag:amenity=hospital, Tag:amenity=doctors).
 */
import type { FacilityKind } from '../../../facility-kinds';
import type { OsmPoi, Tags } from './read-osm';

export interface OsmAmenity {
	osmId: number;
	lon: number;
	lat: number;
	name: string;
	kind: Extract<FacilityKind, 'institution' | 'medical'>;
	beds: number;
}

const ELDERLY = new Set(['senior', 'elderly', 'aged']);
const MEDICAL = new Set(['clinic', 'hospital', 'doctors']);

/** The facility kind of a tagged node, or null when it is neither eldercare nor medical. */
export function amenityKind(tags: Tags): OsmAmenity['kind'] | null {
	if (tags.amenity === 'nursing_home') return 'institution';
	if (tags.amenity === 'social_facility') {
		const type = tags.social_facility;
		if (type === 'nursing_home' || type === 'assisted_living') return 'institution';
		if ((type === 'day_care' || type === 'group_home') && ELDERLY.has(tags['social_facility:for'] ?? '')) {
			return 'institution';
		}
		return null;
	}
	return MEDICAL.has(tags.amenity ?? '') ? 'medical' : null;
}

/** Eldercare and medical places with their Chinese name where there is one, and beds when tagged. */
export function eldercareAmenities(pois: OsmPoi[]): OsmAmenity[] {
	const found: OsmAmenity[] = [];
	for (const poi of pois) {
		const kind = amenityKind(poi.tags);
		if (!kind) continue;
		const beds = Number.parseInt(poi.tags.beds ?? poi.tags.capacity ?? '', 10);
		found.push({
			osmId: poi.id,
			lon: poi.lon,
			lat: poi.lat,
			name: poi.tags['name:zh'] ?? poi.tags.name ?? `OSM node ${poi.id}`,
			kind,
			beds: Number.isFinite(beds) && beds >= 0 ? beds : 0
		});
	}
	return found;
}
