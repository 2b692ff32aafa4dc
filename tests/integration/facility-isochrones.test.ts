/**
 * The facility walking circles on the run's database, over the shipped Siming data: stored in
 * facility_isochrones for every open facility on the network, read back rather than recomputed,
 * recomputed for a facility changed since, smaller than the straight-line circles they are compared
 * with, and on 鼓浪屿 (Gulangyu) kept to the island unless the time allows the ferry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facilityCircles } from '../../src/lib/server/coverage/facility-circles';
import type { Sql } from '../../src/lib/server/db/client';
import { ELDERLY_SPEED_MPS, MAX_SNAP_METERS } from '../../src/lib/routing/walking-area';
import { prepareDatabase } from '../support/database';

const DISTRICT = '350203';
const GULANGYU = '350203012';
let sql: Sql;
let networkId: number;

/** When each stored 15-minute circle was computed, by facility. */
async function computedAt(): Promise<Record<string, string>> {
	const rows = await sql<{ facilityId: string; at: string }[]>`
		select facility_id, computed_at::text as at from facility_isochrones
		where network_id = ${networkId} and minutes = 15 and speed_mps = ${ELDERLY_SPEED_MPS}::float8`;
	return Object.fromEntries(rows.map((row) => [row.facilityId, row.at]));
}

beforeAll(async () => {
	sql = await prepareDatabase();
	const [network]: { id: string }[] = await sql`
		select id from walk_networks where district_code = ${DISTRICT} and active`;
	networkId = Number(network.id);
	await sql`delete from facility_isochrones where network_id = ${networkId}`;
});

afterAll(async () => {
	await sql?.end();
});

describe('facility walking circles', () => {
	it('stores a circle for every open facility within snapping range of the network', async () => {
		const circles = await facilityCircles(sql, DISTRICT);
		const [{ expected }]: { expected: number }[] = await sql`
			select count(*)::int as expected from facilities f
			where starts_with(f.region_code, ${DISTRICT}) and f.status = 'open'
				and exists (select 1 from walk_nodes n where n.network_id = ${networkId}
					and st_dwithin(n.geom::geography, f.geom::geography, ${MAX_SNAP_METERS}))`;
		expect(expected).toBeGreaterThan(100);
		expect(Object.keys(await computedAt())).toHaveLength(expected);
		expect(circles.features).toHaveLength(expected);
		expect(circles.features.every((f) => f.properties.method === 'network')).toBe(true);
		const [{ invalid }]: { invalid: number }[] = await sql`
			select count(*)::int as invalid from facility_isochrones
			where network_id = ${networkId} and not st_isvalid(geom)`;
		expect(invalid).toBe(0);
	});

	it('reads the stored circles back on a second call without computing them again', async () => {
		const before = await computedAt();
		const first = await facilityCircles(sql, DISTRICT);
		const second = await facilityCircles(sql, DISTRICT);
		expect(await computedAt()).toEqual(before);
		expect(second).toEqual(first);
	});

	it('computes again only the circle of a facility changed since it was stored', async () => {
		const before = await computedAt();
		const [changed] = Object.keys(before);
		await sql`update facilities set updated_at = now() where id = ${changed}`;
		await facilityCircles(sql, DISTRICT);
		const after = await computedAt();
		expect(after[changed]).not.toBe(before[changed]);
		expect({ ...after, [changed]: null }).toEqual({ ...before, [changed]: null });
	});

	it('keeps every walking circle smaller than the straight-line circle of the same time', async () => {
		const network = await facilityCircles(sql, DISTRICT);
		const radiusM = 15 * 60 * ELDERLY_SPEED_MPS;
		for (const { properties } of network.features) {
			expect(properties.areaM2).toBeGreaterThan(0);
			expect(properties.areaM2).toBeLessThan(properties.euclideanAreaM2);
			// Clipped to the district's land, the straight-line circle is at most a full disc.
			expect(properties.euclideanAreaM2).toBeLessThanOrEqual(Math.PI * radiusM ** 2 * 1.001);
		}
		expect(network.meanAreaShare).toBeGreaterThan(0);
		expect(network.meanAreaShare).toBeLessThan(1);
	});

	it('serves the straight-line circles, labelled, only as a comparison of the same facilities', async () => {
		const network = await facilityCircles(sql, DISTRICT);
		const euclidean = await facilityCircles(sql, DISTRICT, { method: 'euclidean' });
		expect(euclidean.method).toBe('euclidean');
		expect(euclidean.features.every((f) => f.properties.method === 'euclidean')).toBe(true);
		expect(euclidean.features.map((f) => f.properties.facilityId)).toEqual(
			network.features.map((f) => f.properties.facilityId)
		);
		expect(euclidean.meanAreaShare).toBe(network.meanAreaShare);
		// Its shape is the one whose area is reported.
		const [drawn] = euclidean.features;
		const [{ area }]: { area: number }[] = await sql`
			select st_area(st_setsrid(st_geomfromgeojson(${JSON.stringify(drawn.geometry)}), 4326)::geography) as area`;
		expect(area / drawn.properties.euclideanAreaM2).toBeCloseTo(1, 3);
	});

	it('keeps the 鼓浪屿 centre’s 15-minute circle on the island', async () => {
		const circles = await facilityCircles(sql, DISTRICT);
		const [{ id }]: { id: string }[] = await sql`
			select id from facilities where region_code = ${GULANGYU} and kind = 'street_care_centre'`;
		const circle = circles.features.find((f) => f.properties.facilityId === Number(id))!;
		const [{ onIsland, elsewhere }]: { onIsland: boolean; elsewhere: number }[] = await sql`
			with c as (select st_setsrid(st_geomfromgeojson(${JSON.stringify(circle.geometry)}), 4326) as geom)
			select st_intersects(c.geom, island.geom) as on_island,
				(select count(*)::int from regions r
					where r.level = 'street' and r.code <> ${GULANGYU} and st_intersects(r.geom, c.geom)) as elsewhere
			from c, regions island where island.code = ${GULANGYU}`;
		expect(onIsland).toBe(true);
		expect(elsewhere).toBe(0);
	});

	it('crosses from 鼓浪屿 to the main island only by the ferry, once the time allows it', async () => {
		const minutes = 45;
		await facilityCircles(sql, DISTRICT, { minutes });
		// Each part of the circle is on the island, or on the main island with every corner within the
		// time left after the crossing of the ferry's landing there; none spans the water.
		const parts = await sql<{ island: boolean; mainland: boolean; nearLanding: boolean }[]>`
			with ferry as (
				select e.seconds, case when st_within(na.geom, island.geom) then nb.geom else na.geom end as landing
				from walk_edges e
				join walk_nodes na on na.network_id = e.network_id and na.node_index = e.from_node
				join walk_nodes nb on nb.network_id = e.network_id and nb.node_index = e.to_node
				join regions island on island.code = ${GULANGYU}
				where e.network_id = ${networkId} and e.kind = 'ferry'
			), part as (
				select (st_dump(i.geom)).geom from facility_isochrones i
				join facilities f on f.id = i.facility_id
				where i.network_id = ${networkId} and i.minutes = ${minutes}
					and f.region_code = ${GULANGYU} and f.kind = 'street_care_centre'
			)
			select exists (select 1 from regions r where r.code = ${GULANGYU} and st_intersects(r.geom, part.geom)) as island,
				exists (select 1 from regions r where r.level = 'street' and r.code <> ${GULANGYU}
					and st_intersects(r.geom, part.geom)) as mainland,
				(select bool_and(st_dwithin(ferry.landing::geography, p.geom::geography,
					(${minutes * 60} - ferry.seconds) * ${ELDERLY_SPEED_MPS}, false))
				from st_dumppoints(part.geom) p) as near_landing
			from part, ferry`;
		expect(parts.filter((p) => p.island && p.mainland)).toEqual([]);
		expect(parts.some((p) => p.island)).toBe(true);
		const mainland = parts.filter((p) => p.mainland);
		expect(mainland.length).toBeGreaterThan(0);
		expect(mainland.every((p) => p.nearLanding)).toBe(true);
	});
});
