import { json } from '@sveltejs/kit';
import { activeWalkNetworkOfDistrict } from '$lib/server/coverage/walk-network-store';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	return json(await activeWalkNetworkOfDistrict(getServices().database.sql, params.code));
};
