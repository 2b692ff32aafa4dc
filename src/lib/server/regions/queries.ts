import type { RegionCollection } from '../../geo/features';
import type { Sql } from '../db/client';

/** All regions of a district (the district itself, its streets and communities) as GeoJSON. */
export async function regionsOfDistrict(sql: Sql, districtCode: string): Promise<RegionCollection> {
	const [{ collection }] = await sql`
		select json_build_object(
			'type', 'FeatureCollection',
			'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'id', code,
				'geometry', st_asgeojson(geom, 6)::json,
				'properties', json_build_object(
					'code', code, 'level', level, 'name', name, 'shortName', short_name,
					'parentCode', parent_code,
					'labelPoint', json_build_array(round(st_x(label_point)::numeric, 6), round(st_y(label_point)::numeric, 6)),
					'geomSource', geom_source, 'geomPrecisionM', geom_precision_m, 'updatedAt', updated_at, 'provenance', provenance)
			) order by code), '[]'::json)
		) as collection
		from regions
		where starts_with(code, ${districtCode}) and geom is not null`;
	return collection;
}
