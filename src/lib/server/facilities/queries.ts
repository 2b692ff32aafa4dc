import type { FacilityCollection } from '../../geo/features';
import type { Sql } from '../db/client';

/** Facilities whose region lies in the district, as GeoJSON points. */
export async function facilitiesOfDistrict(sql: Sql, districtCode: string): Promise<FacilityCollection> {
	const [{ collection }] = await sql`
		select json_build_object(
			'type', 'FeatureCollection',
			'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'id', id,
				'geometry', st_asgeojson(geom, 6)::json,
				'properties', json_build_object(
					'id', id, 'name', name, 'kind', kind, 'status', status, 'beds', beds,
					'nursingBeds', nursing_beds, 'regionCode', region_code, 'address', address,
					'locationSource', location_source, 'locationPrecisionM', location_precision_m,
					'provenance', provenance, 'notes', notes)
			) order by id), '[]'::json)
		) as collection
		from facilities
		where starts_with(region_code, ${districtCode})`;
	return collection;
}
