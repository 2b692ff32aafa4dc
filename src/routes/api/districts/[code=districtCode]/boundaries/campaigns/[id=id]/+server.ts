import { error, json } from '@sveltejs/kit';
import { campaignDetail } from '$lib/server/boundaries/campaigns';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** A campaign with its line, each marker's inspection and the progress. */
export const GET: RequestHandler = async ({ params }) => {
	const detail = await campaignDetail(getServices().database.sql, params.code, Number(params.id));
	if (!detail) error(404, `campaign ${params.id} is not in district ${params.code}`);
	return json(detail);
};
