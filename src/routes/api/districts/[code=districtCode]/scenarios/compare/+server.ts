import { error, json } from '@sveltejs/kit';
import { compareScenarios } from '$lib/planning/scenario-compare';
import { getServices } from '$lib/server/context';
import { findScenario } from '$lib/server/planning/scenarios';
import type { RequestHandler } from './$types';

/** Two saved scenarios side by side: `?a=1&b=2`. */
export const GET: RequestHandler = async ({ params, url }) => {
	const { sql } = getServices().database;
	const [a, b] = await Promise.all(
		(['a', 'b'] as const).map(async (key) => {
			const id = url.searchParams.get(key);
			if (!id || !/^\d+$/.test(id)) error(400, `${key} must be a scenario id`);
			const scenario = await findScenario(sql, params.code, Number(id));
			if (!scenario) error(404, `scenario ${id} is not in district ${params.code}`);
			return scenario;
		})
	);
	return json(compareScenarios(a, b));
};
