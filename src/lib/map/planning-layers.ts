/**
 * deck.gl layers of the planner's map (/planning): the gap heat layer of uncovered elderly, the
 * communities coloured by covered share, boundaries, open facilities, the sites a scenario adds and
 * the candidate sites a siting run chooses from. Positions are moved into the basemap's CRS once,
 * when the data changes (placeSites, placeCandidates, gapSquares), never inside an accessor.
 */
import { GeoJsonLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { convertPosition, type Crs } from '../geo/crs';
import type { RegionCollection, RegionFeature, RegionLevel } from '../geo/features';
import { FACILITY_KINDS, type FacilityKind } from '../facility-kinds';
import type { CandidateSite, GapCell, PlanningSite } from '../planning/report';
import { BOUNDARY_COLORS, FACILITY_COLORS, type Rgba } from './colors';
import {
	ADDED_SITE_COLOR,
	CANDIDATE_COLORS,
	CHOSEN_HALO_COLOR,
	gapColor,
	shareColor
} from './planning-colors';

export const PLANNING_LAYER_IDS = {
	shares: 'community-shares',
	gaps: 'coverage-gaps',
	community: 'planning-boundary-community',
	street: 'planning-boundary-street',
	district: 'planning-boundary-district',
	sites: 'planning-sites',
	added: 'added-sites',
	addedMark: 'added-sites-mark',
	chosen: 'chosen-sites',
	candidates: 'candidate-sites',
	labels: 'planning-labels'
} as const;

/** The population grid's cell size when a cell id does not state it (`350203-g200-…`). */
export const DEFAULT_CELL_SIZE_M = 200;
const METRES_PER_DEGREE = 111_320;

export interface GapSquare {
	cell: GapCell;
	polygon: [number, number][];
}

export interface PlacedSite extends PlanningSite {
	position: [number, number];
	/** Added by the scenario (its id is `added-N`), not an open facility. */
	added: boolean;
}

export interface PlacedCandidate extends CandidateSite {
	position: [number, number];
}

function place(lon: number, lat: number, crs: Crs): [number, number] {
	return convertPosition([lon, lat], 'wgs84', crs) as [number, number];
}

/** Whether two WGS-84 positions name the same site (a candidate and the site siting added for it). */
export function samePlace(a: { lon: number; lat: number }, b: { lon: number; lat: number }): boolean {
	return Math.abs(a.lon - b.lon) < 1e-7 && Math.abs(a.lat - b.lat) < 1e-7;
}

/** Each gap cell as the square of its grid cell, in the basemap's CRS. */
export function gapSquares(gaps: GapCell[], crs: Crs): GapSquare[] {
	return gaps.map((cell) => {
		const size = Number(/-g(\d+)-/.exec(cell.cellId)?.[1] ?? DEFAULT_CELL_SIZE_M);
		const halfLat = size / 2 / METRES_PER_DEGREE;
		const halfLon = size / 2 / (METRES_PER_DEGREE * Math.cos((cell.lat * Math.PI) / 180));
		const [x, y] = place(cell.lon, cell.lat, crs);
		return {
			cell,
			polygon: [
				[x - halfLon, y - halfLat],
				[x + halfLon, y - halfLat],
				[x + halfLon, y + halfLat],
				[x - halfLon, y + halfLat],
				[x - halfLon, y - halfLat]
			]
		};
	});
}

export function placeSites(sites: PlanningSite[], crs: Crs): PlacedSite[] {
	return sites.map((site) => ({
		...site,
		position: place(site.lon, site.lat, crs),
		added: site.id.startsWith('added-')
	}));
}

export function placeCandidates(candidates: CandidateSite[], crs: Crs): PlacedCandidate[] {
	return candidates.map((c) => ({ ...c, position: place(c.lon, c.lat, crs) }));
}

const LINE_WIDTH_PX: Record<RegionLevel, number> = { district: 3, street: 2, community: 0.75 };

export interface PlanningLayerInput {
	/** Regions already in the basemap's CRS. */
	regions: RegionCollection;
	sites: PlacedSite[];
	gaps?: GapSquare[] | null;
	/** Covered share by community code: colours the communities when given. */
	communityShares?: ReadonlyMap<string, number | null> | null;
	candidates?: PlacedCandidate[];
	/** Sites the last siting run chose, haloed wherever they are drawn. */
	chosen?: CandidateSite[];
}

function regionsAt(regions: RegionCollection, level: RegionLevel): RegionFeature[] {
	return regions.features.filter((f) => f.properties.level === level);
}

function facilityColor(kind: string): Rgba {
	return (FACILITY_KINDS as readonly string[]).includes(kind)
		? FACILITY_COLORS[kind as FacilityKind]
		: [100, 116, 139, 255];
}

export function buildPlanningLayers({
	regions,
	sites,
	gaps,
	communityShares,
	candidates = [],
	chosen = []
}: PlanningLayerInput): Layer[] {
	const boundary = (level: RegionLevel) =>
		new GeoJsonLayer<RegionFeature['properties']>({
			id: PLANNING_LAYER_IDS[level],
			data: regionsAt(regions, level) as never,
			pickable: false,
			stroked: true,
			filled: false,
			getLineColor: BOUNDARY_COLORS[level],
			getLineWidth: LINE_WIDTH_PX[level],
			lineWidthUnits: 'pixels'
		});
	const open = sites.filter((s) => !s.added);
	const added = sites.filter((s) => s.added);
	const haloed = [
		...candidates.filter((c) => chosen.some((k) => samePlace(k, c))).map((c) => c.position),
		...added.filter((s) => chosen.some((k) => samePlace(k, s))).map((s) => s.position)
	];
	return [
		communityShares &&
			new GeoJsonLayer<RegionFeature['properties']>({
				id: PLANNING_LAYER_IDS.shares,
				data: regionsAt(regions, 'community') as never,
				pickable: true,
				stroked: false,
				getFillColor: (f) => shareColor(communityShares.get(f.properties.code) ?? null),
				updateTriggers: { getFillColor: communityShares }
			}),
		gaps &&
			new PolygonLayer<GapSquare>({
				id: PLANNING_LAYER_IDS.gaps,
				data: gaps,
				pickable: true,
				stroked: false,
				getPolygon: (d) => d.polygon,
				getFillColor: (d) => gapColor(d.cell.elderly)
			}),
		boundary('community'),
		boundary('street'),
		boundary('district'),
		new ScatterplotLayer<PlacedSite>({
			id: PLANNING_LAYER_IDS.sites,
			data: open,
			pickable: true,
			getPosition: (s) => s.position,
			getFillColor: (s) => facilityColor(s.kind),
			getLineColor: [255, 255, 255, 255],
			getRadius: (s) => (s.kind === 'community_station' ? 5 : 8),
			radiusUnits: 'pixels',
			stroked: true,
			getLineWidth: 1.5,
			lineWidthUnits: 'pixels'
		}),
		new ScatterplotLayer<PlacedCandidate>({
			id: PLANNING_LAYER_IDS.candidates,
			data: candidates,
			pickable: true,
			getPosition: (c) => c.position,
			filled: true,
			getFillColor: [255, 255, 255, 90],
			stroked: true,
			getLineColor: (c) => CANDIDATE_COLORS[c.source],
			getRadius: 9,
			radiusUnits: 'pixels',
			getLineWidth: 3,
			lineWidthUnits: 'pixels'
		}),
		new ScatterplotLayer<[number, number]>({
			id: PLANNING_LAYER_IDS.chosen,
			data: haloed,
			pickable: false,
			getPosition: (p) => p,
			filled: false,
			stroked: true,
			getLineColor: CHOSEN_HALO_COLOR,
			getRadius: 16,
			radiusUnits: 'pixels',
			getLineWidth: 4,
			lineWidthUnits: 'pixels'
		}),
		new ScatterplotLayer<PlacedSite>({
			id: PLANNING_LAYER_IDS.added,
			data: added,
			pickable: true,
			getPosition: (s) => s.position,
			getFillColor: ADDED_SITE_COLOR,
			getLineColor: [15, 23, 42, 255],
			getRadius: 11,
			radiusUnits: 'pixels',
			stroked: true,
			getLineWidth: 2.5,
			lineWidthUnits: 'pixels'
		}),
		// A white plus on each added site: its shape, not only its colour, says "new".
		new TextLayer<PlacedSite>({
			id: PLANNING_LAYER_IDS.addedMark,
			data: added,
			pickable: false,
			characterSet: ['+'],
			getPosition: (s) => s.position,
			getText: () => '+',
			getSize: 22,
			getColor: [255, 255, 255, 255],
			fontWeight: 'bold',
			getTextAnchor: 'middle',
			getAlignmentBaseline: 'center'
		}),
		new TextLayer<RegionFeature>({
			id: PLANNING_LAYER_IDS.labels,
			data: regionsAt(regions, 'street'),
			characterSet: 'auto',
			fontFamily: "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', sans-serif",
			getPosition: (f) => f.properties.labelPoint,
			getText: (f) => f.properties.name,
			getSize: 16,
			getColor: [30, 41, 59, 255],
			outlineWidth: 3,
			outlineColor: [255, 255, 255, 230],
			fontSettings: { sdf: true },
			getTextAnchor: 'middle',
			getAlignmentBaseline: 'bottom',
			getPixelOffset: [0, -12]
		})
	].filter(Boolean) as Layer[];
}
