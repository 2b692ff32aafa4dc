import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { RequestHandler } from './$types';

/** The district, its streets and communities as GeoJSON, with their official codes. */
export const GET: RequestHandler = async ({ params }) => {
	return json(await regionsOfDistrict(getServices().database.sql, params.code));
};
