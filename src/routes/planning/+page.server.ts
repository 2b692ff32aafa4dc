import { fail } from '@sveltejs/kit';
import { coverageReport, PlanningInputError } from '$lib/planning/coverage-report';
import { getServices } from '$lib/server/context';
import { loadPlanningInputs, plannedCandidates } from '$lib/server/planning/planning-inputs';
import { asPlanningHttp, parametersFromUrl, scenarioSchema } from '$lib/server/planning/requests';
import { listScenarios } from '$lib/server/planning/scenarios';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { Actions, PageServerLoad } from './$types';

/**
 * The planner's page: the district's coverage for the parameters in the address
 * (`?minutes=15&kind=any`), its regions for the map, the plan's named sites (offered as
 * candidates) and the saved scenarios. Siting and saving go
 * through the planning API from the browser.
 */
export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	const parameters = parametersFromUrl(url);
	const [regions, inputs, planned, scenarios] = await Promise.all([
		regionsOfDistrict(database.sql, config.districtCode),
		loadPlanningInputs(database.sql, config.districtCode),
		plannedCandidates(database.sql, config.districtCode),
		listScenarios(database.sql, config.districtCode)
	]);
	const coverage = await asPlanningHttp(() => coverageReport(inputs, parameters));
	return {
		districtCode: config.districtCode,
		basemapStyle: config.basemapStyle ?? null,
		basemapCrs: config.basemapCrs,
		regions,
		coverage,
		planned,
		scenarios
	};
};

/** What an unsaved scenario changes: the coverage action's `scenario` field, as JSON. */
const scenarioChanges = scenarioSchema.omit({ name: true, siting: true });

export const actions: Actions = {
	/**
	 * The coverage of a scenario that is not saved yet (the sites a siting run chose, added to the
	 * open facilities), with its gap cells, so the page can show it before the planner saves it.
	 * The coverage API answers for the open facilities only.
	 */
	coverage: async ({ request }) => {
		const field = (await request.formData()).get('scenario');
		let json: unknown;
		try {
			json = JSON.parse(typeof field === 'string' ? field : '');
		} catch {
			return fail(400, { message: 'scenario: expected JSON' });
		}
		const parsed = scenarioChanges.safeParse(json);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			return fail(400, { message: `${issue.path.join('.') || 'scenario'}: ${issue.message}` });
		}
		const { database, config } = getServices();
		const inputs = await loadPlanningInputs(database.sql, config.districtCode);
		try {
			return { coverage: coverageReport(inputs, parsed.data.parameters, parsed.data) };
		} catch (failure) {
			if (failure instanceof PlanningInputError)
				return fail(failure.code === 'NO_NETWORK' ? 409 : 400, {
					message: `${failure.code}: ${failure.message}`
				});
			throw failure;
		}
	}
};
