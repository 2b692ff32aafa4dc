import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { listIndicators } from '$lib/server/plan-monitoring/indicators';
import { asOfFromUrl } from '$lib/server/plan-monitoring/requests';
import type { RequestHandler } from './$types';

/** The district's plan indicators as they stood on `?date=` (today by default), with their series. */
export const GET: RequestHandler = async ({ params, url }) => {
	const indicators = await listIndicators(getServices().database.sql, params.code, asOfFromUrl(url));
	return json(indicators, { headers: { 'cache-control': 'no-store' } });
};
