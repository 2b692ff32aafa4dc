import { error, json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { circleQuery, facilityCircles } from '$lib/server/coverage/facility-circles';
import type { RequestHandler } from './$types';

/**
 * Every open facility's walking circle on the active network (`?minutes=`, default 15), or with
 * `?comparison=euclidean` the straight-line circles of the same time, as GeoJSON polygons.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const query = circleQuery(url.searchParams);
	if (!query.ok) error(400, { code: query.code, message: query.message });
	return json(
		await facilityCircles(getServices().database.sql, params.code, {
			minutes: query.minutes,
			method: query.method
		})
	);
};
