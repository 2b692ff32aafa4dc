import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { respondersOfDistrict } from '$lib/server/dispatch/responders';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	return json(await respondersOfDistrict(getServices().database.sql, params.code), {
		headers: { 'cache-control': 'no-store' }
	});
};
