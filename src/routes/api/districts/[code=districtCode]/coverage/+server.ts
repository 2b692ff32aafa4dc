import { json } from '@sveltejs/kit';
import { coverageReport } from '$lib/planning/coverage-report';
import { getServices } from '$lib/server/context';
import { loadPlanningInputs } from '$lib/server/planning/planning-inputs';
import { readJsonBody } from '$lib/server/http/json-body';
import { asPlanningHttp, parametersFromUrl, scenarioChangesSchema } from '$lib/server/planning/requests';
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

/**
 * The same for a scenario before it is saved: `{ parameters, added, removedFacilityIds }`, the open
 * facilities with sites added (drawn, or chosen by a siting run) and facilities taken away.
 */
export const POST: RequestHandler = async ({ params, request }) => {
	const { parameters, ...changes } = await readJsonBody(request, scenarioChangesSchema);
	const inputs = await loadPlanningInputs(getServices().database.sql, params.code);
	return json(await asPlanningHttp(() => coverageReport(inputs, parameters, changes)));
};
