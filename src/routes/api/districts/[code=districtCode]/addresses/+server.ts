import { json } from '@sveltejs/kit';
import { importAddresses, listAddresses } from '$lib/server/addresses/addresses';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { readImportRequest } from '$lib/server/http/import-request';
import type { RequestHandler } from './$types';

/** The district's addresses, `?q=` to search name, pinyin or code, `?limit=&offset=` to page. */
export const GET: RequestHandler = async ({ params, url }) => {
	const limit = Math.min(Math.max(Number(url.searchParams.get('limit')) || 100, 1), 1000);
	const offset = Math.max(Number(url.searchParams.get('offset')) || 0, 0);
	const q = url.searchParams.get('q') ?? undefined;
	return json(await listAddresses(getServices().database.sql, params.code, { q, limit, offset }));
};

/** Imports a CSV or GeoJSON body; `?dryRun=1` reports the bad rows and writes nothing. */
export const POST: RequestHandler = async (event) => {
	const input = await readImportRequest(event.url, event.request);
	const result = await importAddresses(getServices().database.sql, {
		...input,
		districtCode: event.params.code,
		actor: requestActor(event)
	});
	return json(result, { status: input.dryRun ? 200 : 201 });
};
