/**
 * Each open facility's 15-minute eldercare circle on the district's active walking network,
 * computed once per network and kept: the network changes only when a new one is imported.
 */
import type { FacilityCircleCollection } from '../../geo/features';
import { CIRCLE_SECONDS, ELDERLY_SPEED_MPS, walkingArea } from '../../routing/walking-area';
import type { Sql } from '../db/client';
import { activeWalkGraph } from '../routing/walk-graph-store';

const circles = new Map<string, FacilityCircleCollection>();

export async function facilityCircles(sql: Sql, districtCode: string): Promise<FacilityCircleCollection> {
	const [network]: { id: string }[] = await sql`
		select id from walk_networks where district_code = ${districtCode} and active`;
	const graph = network && (await activeWalkGraph(sql, districtCode));
	const facilities = await sql<{ id: string; name: string; kind: string; lon: number; lat: number }[]>`
		select id, name, kind, st_x(geom) as lon, st_y(geom) as lat from facilities
		where starts_with(region_code, ${districtCode}) and status = 'open' order by id`;
	const key = `${network?.id ?? 'none'}:${facilities.map((f) => f.id).join(',')}`;
	const cached = circles.get(key);
	if (cached) return cached;
	const collection: FacilityCircleCollection = { type: 'FeatureCollection', features: [] };
	for (const f of graph ? facilities : []) {
		const area = walkingArea(graph!, [f.lon, f.lat], {
			speedMps: ELDERLY_SPEED_MPS,
			limitSeconds: CIRCLE_SECONDS
		});
		if (!area) continue;
		collection.features.push({
			type: 'Feature',
			geometry: area.geometry,
			properties: { facilityId: f.id, name: f.name, kind: f.kind as never, minutes: CIRCLE_SECONDS / 60 }
		});
	}
	circles.set(key, collection);
	return collection;
}
