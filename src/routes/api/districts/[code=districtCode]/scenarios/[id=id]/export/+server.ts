import { error, json } from '@sveltejs/kit';
import type { Geometry } from 'geojson';
import { scenarioCsv, scenarioGeoJson } from '$lib/planning/scenario-export';
import { getServices } from '$lib/server/context';
import { findScenario } from '$lib/server/planning/scenarios';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { RequestHandler } from './$types';

/** A saved scenario as `?format=csv` (the coverage table) or `?format=geojson` (sites and communities). */
export const GET: RequestHandler = async ({ params, url }) => {
	const { sql } = getServices().database;
	const scenario = await findScenario(sql, params.code, Number(params.id));
	if (!scenario) error(404, `scenario ${params.id} is not in district ${params.code}`);
	const format = url.searchParams.get('format') ?? 'geojson';
	const file = `scenario-${scenario.id}`;
	if (format === 'csv')
		return new Response(scenarioCsv(scenario), {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${file}.csv"`
			}
		});
	if (format !== 'geojson') error(400, `format must be csv or geojson, not ${format}`);
	const regions = await regionsOfDistrict(sql, params.code);
	const shapes = new Map<string, Geometry>(
		regions.features
			.filter((f) => f.properties.level === 'community')
			.map((f) => [f.properties.code, f.geometry])
	);
	return json(scenarioGeoJson(scenario, shapes), {
		headers: { 'content-disposition': `attachment; filename="${file}.geojson"` }
	});
};
