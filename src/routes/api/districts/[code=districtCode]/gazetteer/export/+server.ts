import { error } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { exportPlaces } from '$lib/server/gazetteer/exchange';
import type { RequestHandler } from './$types';

/** The published gazetteer as `?format=geojson` (default) or `?format=csv`. */
export const GET: RequestHandler = async ({ params, url }) => {
	const format = url.searchParams.get('format') ?? 'geojson';
	if (format !== 'csv' && format !== 'geojson') error(400, `format must be csv or geojson, not ${format}`);
	const body = await exportPlaces(getServices().database.sql, params.code, format);
	return new Response(body, {
		headers: {
			'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json',
			'content-disposition': `attachment; filename="gazetteer-${params.code}.${format}"`
		}
	});
};
