import { addressesCsv, addressesGeoJson } from '$lib/addresses/address';
import { allAddresses } from '$lib/server/addresses/addresses';
import { getServices } from '$lib/server/context';
import { download, exportFormat } from '$lib/server/http/import-request';
import type { RequestHandler } from './$types';

/** Every address of the district as `?format=csv` or `?format=geojson`, readable by the importer. */
export const GET: RequestHandler = async ({ params, url }) => {
	const format = exportFormat(url);
	const addresses = await allAddresses(getServices().database.sql, params.code);
	const body = format === 'csv' ? addressesCsv(addresses) : JSON.stringify(addressesGeoJson(addresses));
	return download(body, format, `addresses-${params.code}`);
};
