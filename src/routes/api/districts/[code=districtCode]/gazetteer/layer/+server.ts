import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { publishedNamePoints } from '$lib/server/gazetteer/layer';
import type { RequestHandler } from './$types';

/** The published names as points for the map's place-name layer. */
export const GET: RequestHandler = async ({ params }) => {
	return json(await publishedNamePoints(getServices().database.sql, params.code));
};
