import { json } from '@sveltejs/kit';
import { translate } from '$lib/i18n/messages';
import { getServices } from '$lib/server/context';
import { asPlanHttp } from '$lib/server/plan-monitoring/plan-error';
import { projectScenario } from '$lib/server/plan-monitoring/projects';
import type { RequestHandler } from './$types';

/** Saves "what if this project opens" as a planning scenario; answers the saved scenario. */
export const POST: RequestHandler = async ({ params, locals }) => {
	const scenario = await asPlanHttp(() =>
		projectScenario(getServices().database.sql, params.code, Number(params.id), (name) =>
			translate(locals.locale, 'dashboard.project.scenarioName', { name })
		)
	);
	return json(scenario, { status: 201 });
};
