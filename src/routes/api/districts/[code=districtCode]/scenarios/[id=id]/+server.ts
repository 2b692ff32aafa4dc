import { error, json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { deleteScenario, findScenario } from '$lib/server/planning/scenarios';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const scenario = await findScenario(getServices().database.sql, params.code, Number(params.id));
	if (!scenario) error(404, `scenario ${params.id} is not in district ${params.code}`);
	return json(scenario);
};

export const DELETE: RequestHandler = async ({ params }) => {
	if (!(await deleteScenario(getServices().database.sql, params.code, Number(params.id))))
		error(404, `scenario ${params.id} is not in district ${params.code}`);
	return new Response(null, { status: 204 });
};
