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

/**
 * How a facility circle was drawn: on the walking network (where an older person actually gets), or
 * as the straight-line circle of the same time, a comparison that ignores streets, water and hills.
 */
export type CircleMethod = 'network' | 'euclidean';

/** A facility's walking circle: its shape is the method's, its figures compare both methods. */
export interface FacilityCircleProperties {
	facilityId: number;
	name: string;
	kind: FacilityKind;
	minutes: number;
	method: CircleMethod;
	/** The network circle's area, m². */
	areaM2: number;
	/** The straight-line circle's area, m², clipped to the district outline as the collection says. */
	euclideanAreaM2: number;
	/** areaM2 / euclideanAreaM2: how much of the straight-line promise is walkable. */
	areaShare: number | null;
	/** How far the facility is from the network node it was snapped to, m. */
	snapM: number;
}

export interface FacilityCircleCollection extends FeatureCollection<
	Polygon | MultiPolygon,
	FacilityCircleProperties
> {
	method: CircleMethod;
	minutes: number;
	speedMps: number;
	/** What the straight-line circles are clipped to: the district outline, which covers land only. */
	euclideanClip: 'district_outline';
	/** The mean of the features' areaShare; null without features. */
	meanAreaShare: number | null;
}
