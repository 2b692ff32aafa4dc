/**
 * Whether positions lie in a district, allowing for the outline's precision and shore lines. Used by
 * the importers (keepInsideDistrict) and the household form, so a home typed in by hand meets the
 * same test as one imported from a file.
 */
import type { Sql } from '../db/client';

/** How far outside the district outline a position may lie. */
export const DISTRICT_TOLERANCE_M = 200;

/** Which of the given [lon, lat] points (WGS-84) lie within the tolerance of the district outline, by index. */
export async function insideDistrict(
	sql: Sql,
	districtCode: string,
	points: [number, number][]
): Promise<boolean[]> {
	if (points.length === 0) return [];
	const rows = await sql<{ inside: boolean }[]>`
		select coalesce(st_dwithin(d.geom::geography, st_setsrid(st_makepoint(p.lon, p.lat), 4326)::geography,
			${DISTRICT_TOLERANCE_M}), false) as inside
		from unnest(${sql.array(points.map((p) => p[0]))}::float8[], ${sql.array(points.map((p) => p[1]))}::float8[])
			with ordinality as p(lon, lat, i)
		cross join regions d
		where d.code = ${districtCode}
		order by p.i`;
	return rows.map((row) => row.inside);
}
