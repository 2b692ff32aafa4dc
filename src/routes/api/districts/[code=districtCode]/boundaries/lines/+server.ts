import { json } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { boundaryLines, deriveBoundaryLines } from '$lib/server/boundaries/lines';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) =>
	json(await boundaryLines(getServices().database.sql, params.code));

/** Derives (again) the lines between adjacent streets and the district outline. */
export const POST: RequestHandler = async (event) => {
	const count = await deriveBoundaryLines(getServices().database.sql, event.params.code, requestActor(event));
	return json({ count });
};
