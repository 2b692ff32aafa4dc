import type { PopulationCellCollection } from '../../geo/features';
import type { Sql } from '../db/client';

/** The district's elderly population cells as GeoJSON polygons, with their shared provenance. */
export async function populationCellsOfDistrict(
	sql: Sql,
	districtCode: string
): Promise<PopulationCellCollection> {
	const [{ collection }] = await sql`
		select json_build_object(
			'type', 'FeatureCollection',
			'provenance', min(provenance),
			'source', min(source),
			'features', coalesce(json_agg(json_build_object(
				'type', 'Feature',
				'id', cell_id,
				-- Imported cells may be points without a cell polygon.
				'geometry', st_asgeojson(coalesce(geom, centre), 6)::json,
				'properties', json_build_object('cellId', cell_id, 'elderly', elderly, 'regionCode', region_code)
			) order by cell_id), '[]'::json)
		) as collection
		from population_cells
		where district_code = ${districtCode}`;
	return collection;
}
