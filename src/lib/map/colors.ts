/** Colours of map layers, shared by the deck.gl layers and the legend so they cannot drift apart. */
import type { FacilityKind } from '../facility-kinds';

export type Rgba = [number, number, number, number];

export const FACILITY_COLORS: Record<FacilityKind, Rgba> = {
	district_centre: [220, 38, 38, 255],
	street_care_centre: [234, 88, 12, 255],
	community_station: [13, 148, 136, 255],
	institution: [124, 58, 237, 255],
	medical: [37, 99, 235, 255]
};

export const BOUNDARY_COLORS = {
	district: [15, 23, 42, 255] as Rgba,
	street: [30, 64, 175, 230] as Rgba,
	community: [100, 116, 139, 170] as Rgba
};

export function toCss([r, g, b, a]: Rgba): string {
	return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
}
