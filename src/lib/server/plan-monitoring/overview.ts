/** The whole plan at a date, as the dashboard and the evaluation report show it. */
import type { IndicatorState, ProjectState } from '../../dashboard/plan-status';
import type { Sql } from '../db/client';
import { listIndicators } from './indicators';
import { listProjects } from './projects';

export interface PlanOverview {
	districtCode: string;
	districtName: string;
	asOf: string;
	indicators: IndicatorState[];
	projects: ProjectState[];
}

export async function planOverview(sql: Sql, districtCode: string, asOf: string): Promise<PlanOverview> {
	const [district] = await sql<{ name: string }[]>`select name from regions where code = ${districtCode}`;
	return {
		districtCode,
		districtName: district?.name ?? districtCode,
		asOf,
		indicators: await listIndicators(sql, districtCode, asOf),
		projects: await listProjects(sql, districtCode, asOf)
	};
}
