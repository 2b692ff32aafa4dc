import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import { asPlanningHttp, sitingSchema } from '$lib/server/planning/requests';
import { sitingForDistrict } from '$lib/server/planning/siting';
import type { RequestHandler } from './$types';

/** Chooses sites among candidates by maximal covering, set covering or p-median. */
export const POST: RequestHandler = async ({ params, request }) => {
	const body = await readJsonBody(request, sitingSchema);
	return json(await asPlanningHttp(() => sitingForDistrict(getServices().database.sql, params.code, body)));
};
