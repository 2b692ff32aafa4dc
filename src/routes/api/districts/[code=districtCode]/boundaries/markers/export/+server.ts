import { markersCsv, markersGeoJson } from '$lib/boundaries/marker';
import { listMarkers } from '$lib/server/boundaries/markers';
import { getServices } from '$lib/server/context';
import { download, exportFormat } from '$lib/server/http/import-request';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, url }) => {
	const format = exportFormat(url);
	const markers = await listMarkers(getServices().database.sql, params.code);
	const body = format === 'csv' ? markersCsv(markers) : JSON.stringify(markersGeoJson(markers));
	return download(body, format, `boundary-markers-${params.code}`);
};
