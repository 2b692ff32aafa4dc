import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import { loadPlanningInputs } from '$lib/server/planning/planning-inputs';
import { asPlanningHttp, scenarioSchema } from '$lib/server/planning/requests';
import { listScenarios, saveScenario } from '$lib/server/planning/scenarios';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	return json(await listScenarios(getServices().database.sql, params.code), {
		headers: { 'cache-control': 'no-store' }
	});
};

/** Saves a scenario with its coverage counted now. */
export const POST: RequestHandler = async ({ params, request }) => {
	const body = await readJsonBody(request, scenarioSchema);
	const { sql } = getServices().database;
	const inputs = await loadPlanningInputs(sql, params.code);
	return json(await asPlanningHttp(() => saveScenario(sql, inputs, body)), { status: 201 });
};
