import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { facilityCircles } from '$lib/server/coverage/facility-circles';
import type { RequestHandler } from './$types';

/** Every open facility's 15-minute walking circle on the active network, as GeoJSON polygons. */
export const GET: RequestHandler = async ({ params }) => {
	return json(await facilityCircles(getServices().database.sql, params.code));
};
