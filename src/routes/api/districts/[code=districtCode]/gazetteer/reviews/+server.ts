import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { pendingChanges } from '$lib/server/gazetteer/places';
import type { RequestHandler } from './$types';

/** The changes waiting for review, with their diffs and the rules each breaks. */
export const GET: RequestHandler = async ({ params }) => {
	return json(await pendingChanges(getServices().database.sql, params.code), {
		headers: { 'cache-control': 'no-store' }
	});
};
