import { error, json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { findPlace, placeVersions } from '$lib/server/gazetteer/places';
import type { RequestHandler } from './$types';

/** One place name as published, with its whole history (pending, approved and rejected versions). */
export const GET: RequestHandler = async ({ params }) => {
	const { sql } = getServices().database;
	const place = await findPlace(sql, params.code, Number(params.id));
	if (!place) error(404, `place name ${params.id} is not in district ${params.code}`);
	return json({ ...place, versions: await placeVersions(sql, place.id) });
};
