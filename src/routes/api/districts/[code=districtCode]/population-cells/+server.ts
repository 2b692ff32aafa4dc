import { json } from '@sveltejs/kit';
import { populationCellsOfDistrict } from '$lib/server/coverage/population-queries';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	return json(await populationCellsOfDistrict(getServices().database.sql, params.code));
};
