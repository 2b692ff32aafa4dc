import { json } from '@sveltejs/kit';
import { openIncidents } from '$lib/server/alerts/incidents';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** Open incidents: what a console loads first and again after a reconnect, to catch up. */
export const GET: RequestHandler = async ({ params }) => {
	return json(await openIncidents(getServices().database.sql, params.code), {
		headers: { 'cache-control': 'no-store' }
	});
};
