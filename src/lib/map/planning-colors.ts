/**
 * Colours of the planning maps — the gap heat layer, the communities' covered share, added and
 * candidate sites — shared by the deck.gl layers, their legends and the printable report's SVG map,
 * so the three cannot drift apart.
 */
import type { CandidateSite } from '../planning/report';
import type { Rgba } from './colors';

/**
 * Classes of uncovered elderly in one 200 m cell, lower bounds. The modelled district's gap cells
 * hold 1 … 88 elderly with a median near 18, so the breaks split them into readable steps.
 */
export const GAP_CLASS_BREAKS = [1, 10, 20, 40, 60] as const;

/**
 * Yellow-orange → dark red (the darker five of ColorBrewer's 7-class YlOrRd): the palest class still
 * stands out from the cream land of the offline basemap.
 */
const GAP_CLASS_COLORS: Rgba[] = [
	[254, 217, 118, 220],
	[254, 178, 76, 225],
	[253, 141, 60, 230],
	[240, 59, 32, 235],
	[189, 0, 38, 240]
];

/** The class (0 … 4) of a cell with this many uncovered elderly. */
export function gapClass(elderly: number): number {
	let k = 0;
	for (let i = 0; i < GAP_CLASS_BREAKS.length; i++) if (elderly >= GAP_CLASS_BREAKS[i]) k = i;
	return k;
}

export function gapColor(elderly: number): Rgba {
	return GAP_CLASS_COLORS[gapClass(elderly)];
}

/** The legend of the gap layer: each class's colour and its range of elderly. */
export function gapLegend(): { color: Rgba; from: number; to: number | null }[] {
	return GAP_CLASS_BREAKS.map((from, i) => ({
		color: GAP_CLASS_COLORS[i],
		from,
		to: i + 1 < GAP_CLASS_BREAKS.length ? GAP_CLASS_BREAKS[i + 1] - 1 : null
	}));
}

/**
 * Classes of a community's covered share, lower bounds. 80 % is where the plan counts a community
 * as having its circle (CIRCLE_THRESHOLD_SHARE), 100 % is every elderly resident covered.
 */
export const SHARE_CLASS_BREAKS = [0, 0.5, 0.8, 0.95, 1] as const;

/** Red → yellow → blue (ColorBrewer RdYlBu, 5 classes): readable by colour-blind viewers and in grey print. */
const SHARE_CLASS_COLORS: Rgba[] = [
	[215, 48, 39, 200],
	[252, 141, 89, 200],
	[254, 224, 144, 200],
	[145, 191, 219, 200],
	[69, 117, 180, 200]
];

/** A region without elderly has no share; it is drawn grey. */
export const NO_SHARE_COLOR: Rgba = [203, 213, 225, 160];

export function shareColor(share: number | null): Rgba {
	if (share === null) return NO_SHARE_COLOR;
	let k = 0;
	for (let i = 0; i < SHARE_CLASS_BREAKS.length; i++) if (share >= SHARE_CLASS_BREAKS[i] - 1e-9) k = i;
	return SHARE_CLASS_COLORS[k];
}

export function shareLegend(): { color: Rgba; from: number; to: number | null }[] {
	return SHARE_CLASS_BREAKS.map((from, i) => ({
		color: SHARE_CLASS_COLORS[i],
		from,
		to: i + 1 < SHARE_CLASS_BREAKS.length ? SHARE_CLASS_BREAKS[i + 1] : null
	}));
}

/** Sites a scenario adds: magenta, apart from every facility kind's colour. */
export const ADDED_SITE_COLOR: Rgba = [219, 39, 119, 255];

/** The halo around sites the last siting run chose. */
export const CHOSEN_HALO_COLOR: Rgba = [250, 204, 21, 255];

/** Candidate sites are hollow rings, coloured by where they came from. */
export const CANDIDATE_COLORS: Record<CandidateSite['source'], Rgba> = {
	drawn: [14, 165, 233, 255],
	uploaded: [168, 85, 247, 255],
	planned: [245, 158, 11, 255],
	generated: [100, 116, 139, 255]
};
