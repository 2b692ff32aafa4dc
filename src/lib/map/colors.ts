/** Colours of map layers, shared by the deck.gl layers and the legend so they cannot drift apart. */
import type { FacilityKind } from '../facility-kinds';

export type Rgba = [number, number, number, number];

/**
 * Facility kinds: magenta, cyan, teal, brown and pink — none of them a severity colour (red,
 * orange, amber, blue) or a responder status colour (green, violet, grey), so on the dispatch
 * console a facility or its 15-minute circle is never read as an alert.
 */
export const FACILITY_COLORS: Record<FacilityKind, Rgba> = {
	district_centre: [134, 25, 143, 255],
	street_care_centre: [8, 145, 178, 255],
	community_station: [17, 94, 89, 255],
	institution: [120, 53, 15, 255],
	medical: [219, 39, 119, 255]
};

/** The inside of a facility that is not open (planned, being built, closed): drawn hollow. */
export const NOT_OPEN_FILL: Rgba = [255, 255, 255, 235];

export const BOUNDARY_COLORS = {
	district: [15, 23, 42, 255] as Rgba,
	street: [30, 64, 175, 230] as Rgba,
	community: [100, 116, 139, 170] as Rgba
};

export function toCss([r, g, b, a]: Rgba): string {
	return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
}

export const WALK_COLORS: Record<'walk' | 'ferry', Rgba> = {
	walk: [100, 116, 139, 150],
	ferry: [37, 99, 235, 255]
};

/** The straight-line comparison circles: an unfilled dark outline, apart from the tinted walking circles. */
export const EUCLIDEAN_CIRCLE_COLOR: Rgba = [30, 41, 59, 190];

/** Light yellow → dark red for a share 0…1 of the largest cell (a sequential scale, like ColorBrewer YlOrRd). */
export function elderlyColor(share: number): Rgba {
	const stops: Rgba[] = [
		[255, 255, 178, 150],
		[254, 204, 92, 170],
		[253, 141, 60, 185],
		[240, 59, 32, 200],
		[189, 0, 38, 215]
	];
	const t = Math.min(1, Math.max(0, share)) * (stops.length - 1);
	const i = Math.min(stops.length - 2, Math.floor(t));
	const f = t - i;
	return stops[i].map((value, k) => Math.round(value + (stops[i + 1][k] - value) * f)) as Rgba;
}

/** Alert severities: red, orange, amber, blue — kept apart for colour-blind readers by size too. */
export const SEVERITY_COLORS: Record<'critical' | 'high' | 'medium' | 'low', Rgba> = {
	critical: [220, 38, 38, 255],
	high: [234, 88, 12, 255],
	medium: [202, 138, 4, 255],
	low: [37, 99, 235, 255]
};

/**
 * Responder statuses: green, violet and grey, apart from the severity colours, and drawn smaller
 * with a dark ring where incidents have a white one.
 */
export const RESPONDER_COLORS: Record<'available' | 'busy' | 'off', Rgba> = {
	available: [22, 163, 74, 255],
	busy: [139, 92, 246, 255],
	off: [100, 116, 139, 230]
};

/** The selection and the selected incident's proposed responders. */
export const HIGHLIGHT_COLOR: Rgba = [250, 204, 21, 255];
