/**
 * What the planning API returns, shared by the server, the planning page, the report page and the
 * CLI: coverage tables, the gap layer, siting results and saved scenarios.
 */
import type { FeatureCollection, Point } from 'geojson';
import type { SitingSolution } from './siting/problem';

/** One line of a coverage table, with the region's and the nearest facility's names. */
export interface CoverageTableRow {
	level: 'district' | 'street' | 'community';
	code: string;
	name: string;
	elderly: number;
	/** Cumulative elderly within each band of `bandsMinutes`. */
	within: number[];
	/** Share within the circle (the last band), 0 … 1; null for a region without elderly. */
	share: number | null;
	uncovered: number;
	offNetwork: number;
	medianSeconds: number | null;
	nearestFacility: { id: string; name: string } | null;
}

/** A site in a scenario: an open facility, or a site added by the planner or by siting. */
export interface PlanningSite {
	/** A facility id for existing facilities; `added-N` for sites added in the scenario. */
	id: string;
	name: string;
	kind: string;
	lon: number;
	lat: number;
	/** Elderly the site can serve (beds or seats); null when not known. */
	capacity: number | null;
	/** How far the site is from the nearest walkway, in metres; null when beyond snapping range. */
	snapMeters: number | null;
}

/** Uncovered demand for the gap map: one entry per demand cell with elderly beyond the circle. */
export interface GapCell {
	cellId: string;
	lon: number;
	lat: number;
	elderly: number;
	/** Seconds to the nearest facility; null when none is within the search limit. */
	seconds: number | null;
}

export interface CoverageAnswer {
	/** Communities with elderly, and how many have every / some / none of them within the circle. */
	communities: number;
	fullyCovered: number;
	partlyCovered: number;
	notCovered: number;
	/** Communities below the threshold share, worst first: the plan's "circle gaps". */
	gaps: { code: string; name: string; share: number; uncovered: number }[];
	/** The share a community needs to count as having its circle. */
	thresholdShare: number;
}

export interface CoverageParameters {
	minutes: number;
	bandsMinutes: number[];
	speedMps: number;
	/** 'any' or one facility kind. */
	kind: string;
}

export interface CoverageReport {
	districtCode: string;
	parameters: CoverageParameters;
	network: { name: string; provenance: string; nodeCount: number } | null;
	district: CoverageTableRow;
	streets: CoverageTableRow[];
	communities: CoverageTableRow[];
	answer: CoverageAnswer;
	/** The district's coverage within the circle at other walking speeds, slowest first. */
	speedBand: { speedMps: number; covered: number; share: number | null }[];
	gaps: GapCell[];
	sites: PlanningSite[];
	elapsedMs: number;
}

/** A candidate site the siting models choose from. */
export interface CandidateSite {
	name: string;
	kind: string;
	lon: number;
	lat: number;
	capacity: number | null;
	/** Where the candidate came from: the plan's named sites, the map, an upload, or a generated grid. */
	source: 'planned' | 'drawn' | 'uploaded' | 'generated';
}

export interface SitingResult {
	candidates: (CandidateSite & { snapMeters: number | null })[];
	greedy: SitingSolution;
	exact: SitingSolution | null;
	/** How much worse the greedy objective is than the exact one, as a fraction (null without exact). */
	gap: number | null;
	/** The chosen candidates (from the exact solution when there is one and it is at least as good). */
	chosen: CandidateSite[];
	before: CoverageTableRow;
	after: CoverageTableRow;
}

export interface ScenarioDefinition {
	name: string;
	parameters: CoverageParameters;
	added: CandidateSite[];
	removedFacilityIds: string[];
	/** The siting run that chose the added sites, when one did. */
	siting: { model: string; p?: number; targetShare?: number; capacitated?: boolean } | null;
}

export interface ScenarioSummary {
	id: number;
	name: string;
	createdAt: string;
	addedCount: number;
	removedCount: number;
	share: number | null;
	covered: number;
	elderly: number;
}

export interface SavedScenario extends ScenarioDefinition {
	id: number;
	districtCode: string;
	createdAt: string;
	results: {
		district: CoverageTableRow;
		streets: CoverageTableRow[];
		communities: CoverageTableRow[];
		answer: CoverageAnswer;
	};
}

/** One region's figures in two scenarios. */
export interface ScenarioDifference {
	level: CoverageTableRow['level'];
	code: string;
	name: string;
	elderly: number;
	coveredA: number;
	coveredB: number;
	shareA: number | null;
	shareB: number | null;
}

export interface ScenarioComparison {
	a: ScenarioSummary;
	b: ScenarioSummary;
	/** District first, then every street and community whose covered count differs. */
	differences: ScenarioDifference[];
}

export type CandidateCollection = FeatureCollection<Point, Partial<CandidateSite>>;
