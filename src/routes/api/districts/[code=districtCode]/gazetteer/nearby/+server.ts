import { error, json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { namesNear } from '$lib/server/gazetteer/places';
import type { RequestHandler } from './$types';

/** Reverse lookup: `?lon=&lat=&radius=` (metres, default 300) → the published names around the point. */
export const GET: RequestHandler = async ({ params, url }) => {
	const lon = Number(url.searchParams.get('lon'));
	const lat = Number(url.searchParams.get('lat'));
	const radius = Number(url.searchParams.get('radius') ?? 300);
	if (!url.searchParams.get('lon') || !Number.isFinite(lon) || Math.abs(lon) > 180)
		error(400, 'lon must be a longitude');
	if (!url.searchParams.get('lat') || !Number.isFinite(lat) || Math.abs(lat) > 90)
		error(400, 'lat must be a latitude');
	if (!(radius > 0 && radius <= 5000)) error(400, 'radius must be 1–5000 metres');
	return json(await namesNear(getServices().database.sql, params.code, lon, lat, radius));
};
