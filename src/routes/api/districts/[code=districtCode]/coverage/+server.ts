import { json } from '@sveltejs/kit';
import { coverageReport } from '$lib/planning/coverage-report';
import { getServices } from '$lib/server/context';
import { loadPlanningInputs } from '$lib/server/planning/planning-inputs';
import { asPlanningHttp, parametersFromUrl } from '$lib/server/planning/requests';
import type { RequestHandler } from './$types';

/**
 * Walking-time coverage of the district's elderly by its open facilities: tables by street and
 * community, the circle gaps, and the uncovered cells for the gap map.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const parameters = parametersFromUrl(url);
	const inputs = await loadPlanningInputs(getServices().database.sql, params.code);
	return json(await asPlanningHttp(() => coverageReport(inputs, parameters)));
};
