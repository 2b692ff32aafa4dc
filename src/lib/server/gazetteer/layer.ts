/** The map's place-name layer: one point per approved name (its label point), small enough to send whole. */
import type { Sql } from '../db/client';

export interface NamePoint {
	id: number;
	name: string;
	pinyin: string;
	classCode: string;
	position: [number, number];
}

export async function publishedNamePoints(sql: Sql, districtCode: string): Promise<NamePoint[]> {
	const rows = await sql<(NamePoint & { id: string })[]>`
		select id, standard_name as name, pinyin, class_code,
			json_build_array(round(st_x(st_pointonsurface(geom))::numeric, 6), round(st_y(st_pointonsurface(geom))::numeric, 6))
				as position
		from place_names
		where district_code = ${districtCode} and status = 'approved' and published_version > 0 and geom is not null
		order by id`;
	return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
