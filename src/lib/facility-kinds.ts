/** Facility kinds, shared by server queries and browser map code. */
export const FACILITY_KINDS = [
	'district_centre',
	'street_care_centre',
	'community_station',
	'institution',
	'medical'
] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];
