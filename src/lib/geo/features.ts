/** The GeoJSON feature shapes the server sends to maps; shared by server queries and browser layers. */
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { FacilityKind } from '../facility-kinds';

export type RegionLevel = 'district' | 'street' | 'community';

/** Where a dataset comes from: an official source, derived from another dataset, or modelled. */
export type Provenance = 'official' | 'derived' | 'modelled';

export interface RegionProperties {
	code: string;
	level: RegionLevel;
	name: string;
	shortName: string;
	parentCode: string | null;
	labelPoint: [number, number];
	geomSource: string;
	geomPrecisionM: number | null;
	provenance: Provenance;
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
	provenance: Provenance;
	notes: string | null;
}

export type RegionFeature = Feature<MultiPolygon, RegionProperties>;
export type FacilityFeature = Feature<Point, FacilityProperties>;
export type RegionCollection = FeatureCollection<MultiPolygon, RegionProperties>;
export type FacilityCollection = FeatureCollection<Point, FacilityProperties>;

export interface PopulationCellProperties {
	cellId: string;
	elderly: number;
	regionCode: string | null;
}

/** Elderly residents per cell; what is common to all cells is said once on the collection. */
export interface PopulationCellCollection extends FeatureCollection<
	Polygon | Point,
	PopulationCellProperties
> {
	provenance: Provenance | null;
	source: string | null;
}

export interface WalkEdgeProperties {
	kind: 'walk' | 'ferry';
	lengthM: number;
	seconds: number | null;
}

export interface WalkNetworkCollection extends FeatureCollection<LineString, WalkEdgeProperties> {
	network: {
		name: string;
		provenance: Provenance;
		source: string;
		nodeCount: number;
		edgeCount: number;
	} | null;
}

/** The area a facility's older neighbours reach on foot within 15 minutes, on the walking network. */
export interface FacilityCircleProperties {
	facilityId: string;
	name: string;
	kind: FacilityKind;
	minutes: number;
}

export type FacilityCircleCollection = FeatureCollection<Polygon | MultiPolygon, FacilityCircleProperties>;
