/** The GeoJSON feature shapes the server sends to maps; shared by server queries and browser layers. */
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { FacilityKind } from '../facility-kinds';

export type RegionLevel = 'district' | 'street' | 'community';

export interface RegionProperties {
	code: string;
	level: RegionLevel;
	name: string;
	shortName: string;
	parentCode: string | null;
	labelPoint: [number, number];
	geomSource: string;
	geomPrecisionM: number | null;
	updatedAt: string;
}

export type FacilityStatus = 'planned' | 'building' | 'open' | 'closed';

export interface FacilityProperties {
	id: number;
	name: string;
	kind: FacilityKind;
	status: FacilityStatus;
	beds: number;
	nursingBeds: number;
	regionCode: string | null;
	address: string | null;
	locationSource: string;
	locationPrecisionM: number | null;
}

export type RegionFeature = Feature<MultiPolygon, RegionProperties>;
export type FacilityFeature = Feature<Point, FacilityProperties>;
export type RegionCollection = FeatureCollection<MultiPolygon, RegionProperties>;
export type FacilityCollection = FeatureCollection<Point, FacilityProperties>;
