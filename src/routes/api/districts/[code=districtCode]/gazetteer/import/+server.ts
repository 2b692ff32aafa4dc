import { error, json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { importPlaces } from '$lib/server/gazetteer/exchange';
import { gazetteerHttp } from '$lib/server/gazetteer/http';
import type { RequestHandler } from './$types';

/**
 * A GeoJSON or CSV file as the body: `?format=geojson|csv&dryRun=1`. The report lists every bad row
 * by line or feature number; the real run writes nothing while any row is bad.
 */
export const POST: RequestHandler = async (event) => {
	const format = event.url.searchParams.get('format') ?? 'geojson';
	if (format !== 'csv' && format !== 'geojson') error(400, `format must be csv or geojson, not ${format}`);
	const dryRun = event.url.searchParams.get('dryRun') !== '0';
	const text = await event.request.text();
	return gazetteerHttp(async () => {
		const report = await importPlaces(
			getServices().database.sql,
			event.params.code,
			text,
			format,
			gazetteerActor(event),
			{ dryRun }
		);
		return json(report, { status: report.rejected.length ? 422 : dryRun ? 200 : 201 });
	});
};
