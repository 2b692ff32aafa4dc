import { json } from '@sveltejs/kit';
import { openIncidents } from '$lib/server/alerts/incidents';
import { onlyVisible } from '$lib/server/auth/roles';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** Open incidents (of the user's streets): what a console loads first and again after a reconnect. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const incidents = await openIncidents(getServices().database.sql, params.code);
	return json(onlyVisible(locals.user!, incidents), { headers: { 'cache-control': 'no-store' } });
};
