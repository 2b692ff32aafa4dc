import { json } from '@sveltejs/kit';
import { markersGeoJson } from '$lib/boundaries/marker';
import { requestActor } from '$lib/server/audit/actor';
import { importMarkers, listMarkers } from '$lib/server/boundaries/markers';
import { getServices } from '$lib/server/context';
import { readImportRequest } from '$lib/server/http/import-request';
import type { RequestHandler } from './$types';

/** The district's markers as GeoJSON points (for the map layer). */
export const GET: RequestHandler = async ({ params }) =>
	json(markersGeoJson(await listMarkers(getServices().database.sql, params.code)));

/** Imports a CSV or GeoJSON body of markers; `?dryRun=1` reports the bad rows and writes nothing. */
export const POST: RequestHandler = async (event) => {
	const input = await readImportRequest(event.url, event.request);
	const result = await importMarkers(getServices().database.sql, {
		...input,
		districtCode: event.params.code,
		actor: requestActor(event)
	});
	return json(result, { status: input.dryRun ? 200 : 201 });
};
