/**
 * What an address's public page (routes/a/[code], opened from its QR door plate) shows: its standard
 * name and pinyin, the community, street and district it lies in, and the nearest open eldercare
 * facility within 15 minutes' walk at an older person's pace on the district's walking network.
 * Nothing about who lives there: the page is public.
 */
import type { FacilityKind } from '../../facility-kinds';
import { walkingTimesFrom } from '../../routing/walk-graph';
import { CIRCLE_SECONDS, ELDERLY_SPEED_MPS } from '../../routing/walking-area';
import type { Sql } from '../db/client';
import { activeWalkGraph } from '../routing/walk-graph-store';
import { findAddressByCode } from './addresses';

export interface NearbyFacility {
	name: string;
	kind: FacilityKind;
	seconds: number;
	meters: number;
	/** 'straight_line' when the network could not be used (no network, or the point is off it). */
	method: 'network' | 'straight_line';
}

export interface PublicAddress {
	code: string;
	standardName: string;
	pinyin: string;
	position: [number, number];
	status: 'active' | 'retired';
	regions: { community: string | null; street: string | null; district: string | null };
	/** The nearest open eldercare facility reached within {@link CIRCLE_SECONDS}; null when none is. */
	nearestFacility: NearbyFacility | null;
	circleMinutes: number;
	speedMps: number;
}

/** Medical points are not eldercare facilities of the 15-minute circle. */
const ELDERCARE_KINDS: FacilityKind[] = [
	'district_centre',
	'street_care_centre',
	'community_station',
	'institution'
];
/** Facilities farther than this in a straight line cannot be reached in 15 minutes on foot, even by ferry. */
const SEARCH_RADIUS_M = 5000;

export async function publicAddress(sql: Sql, code: string): Promise<PublicAddress | null> {
	const address = await findAddressByCode(sql, code);
	if (!address) return null;
	const districtCode = code.slice(0, 6);
	const regionRows = await sql<{ level: 'community' | 'street' | 'district'; name: string }[]>`
		select level, name from regions
		where code in (${address.regionCode ?? ''}, ${address.regionCode?.slice(0, 9) ?? ''}, ${districtCode})`;
	const nameOf = (level: string) => regionRows.find((row) => row.level === level)?.name ?? null;
	const [lon, lat] = address.position;
	const facilities = await sql<{ name: string; kind: FacilityKind; lon: number; lat: number }[]>`
		select name, kind, st_x(geom) as lon, st_y(geom) as lat from facilities
		where status = 'open' and kind = any(${ELDERCARE_KINDS}::text[])
			and st_dwithin(geom::geography, st_setsrid(st_makepoint(${lon}, ${lat}), 4326)::geography, ${SEARCH_RADIUS_M})`;
	const graph = await activeWalkGraph(sql, districtCode);
	const timeTo = walkingTimesFrom(graph, address.position, {
		speedMps: ELDERLY_SPEED_MPS,
		limitSeconds: CIRCLE_SECONDS
	});
	let nearest: NearbyFacility | null = null;
	for (const facility of facilities) {
		const time = timeTo([facility.lon, facility.lat]);
		if (time.seconds > CIRCLE_SECONDS) continue;
		if (!nearest || time.seconds < nearest.seconds)
			nearest = { name: facility.name, kind: facility.kind, ...time };
	}
	return {
		code: address.code,
		standardName: address.standardName,
		pinyin: address.pinyin,
		position: address.position,
		status: address.status,
		regions: { community: nameOf('community'), street: nameOf('street'), district: nameOf('district') },
		nearestFacility: nearest,
		circleMinutes: CIRCLE_SECONDS / 60,
		speedMps: ELDERLY_SPEED_MPS
	};
}
