import { error } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { findScenario } from '$lib/server/planning/scenarios';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { PageServerLoad } from './$types';

/** A saved scenario's one-page report: its figures as saved, and the district's shapes for the map. */
export const load: PageServerLoad = async ({ params }) => {
	const { database, config } = getServices();
	const [scenario, regions] = await Promise.all([
		findScenario(database.sql, config.districtCode, Number(params.id)),
		regionsOfDistrict(database.sql, config.districtCode)
	]);
	if (!scenario) error(404, `scenario ${params.id} is not in district ${config.districtCode}`);
	return { scenario, regions };
};
