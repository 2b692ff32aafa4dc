import { coverageReport } from '$lib/planning/coverage-report';
import { getServices } from '$lib/server/context';
import { loadPlanningInputs, plannedCandidates } from '$lib/server/planning/planning-inputs';
import { asPlanningHttp, parametersFromUrl } from '$lib/server/planning/requests';
import { listScenarios } from '$lib/server/planning/scenarios';
import { projectsNotOpen } from '$lib/server/plan-monitoring/projects';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { PageServerLoad } from './$types';

/**
 * The planner's page: the district's coverage for the parameters in the address
 * (`?minutes=15&kind=any`), its regions for the map, the plan's named sites (offered as
 * candidates), the saved scenarios and the plan's projects not open yet (for "what if it opens").
 * Siting, scenario coverage and saving go through the planning API from the browser.
 */
export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	const parameters = parametersFromUrl(url);
	const [regions, inputs, planned, scenarios, projects] = await Promise.all([
		regionsOfDistrict(database.sql, config.districtCode),
		loadPlanningInputs(database.sql, config.districtCode),
		plannedCandidates(database.sql, config.districtCode),
		listScenarios(database.sql, config.districtCode),
		projectsNotOpen(database.sql, config.districtCode)
	]);
	const coverage = await asPlanningHttp(() => coverageReport(inputs, parameters));
	return {
		districtCode: config.districtCode,
		basemapStyle: config.basemapStyle ?? null,
		basemapCrs: config.basemapCrs,
		regions,
		coverage,
		planned,
		scenarios,
		projects
	};
};
