/**
 * A siting request from the planning page or API, on the district's own data: gathers the candidate
 * sites it names (the plan's projects, generated, drawn, uploaded), then runs the models.
 */
import type { z } from 'zod';
import { candidatesFromGeoJson } from '../../planning/geojson-inputs';
import type { SitingResult } from '../../planning/report';
import { runSiting, spreadCandidates } from '../../planning/siting-run';
import type { SitingModel } from '../../planning/siting/problem';
import type { Sql } from '../db/client';
import { loadPlanningInputs, plannedCandidates } from './planning-inputs';
import type { sitingSchema } from './requests';

export async function sitingForDistrict(
	sql: Sql,
	districtCode: string,
	body: z.output<typeof sitingSchema>
): Promise<SitingResult> {
	const inputs = await loadPlanningInputs(sql, districtCode);
	const candidates = [
		...(body.candidates.planned ? await plannedCandidates(sql, districtCode) : []),
		...spreadCandidates(inputs.demand, body.candidates.generated),
		...body.candidates.sites,
		...(body.candidates.geojson === undefined
			? []
			: candidatesFromGeoJson(body.candidates.geojson, 'uploaded'))
	];
	const model: SitingModel =
		body.model === 'lscp'
			? { kind: 'lscp', targetShare: body.targetShare! }
			: body.model === 'mclp'
				? { kind: 'mclp', p: body.p!, capacitated: body.capacitated }
				: { kind: 'pmedian', p: body.p! };
	return runSiting(
		inputs,
		body.parameters,
		{
			model,
			solver: body.solver,
			timeLimitSeconds: body.timeLimitSeconds,
			candidates,
			defaultCapacity: body.defaultCapacity
		},
		{ added: body.added, removedFacilityIds: body.removedFacilityIds }
	);
}
