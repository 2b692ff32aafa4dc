import { addressesByIds } from '$lib/server/addresses/addresses';
import { doorPlates } from '$lib/server/addresses/door-plates';
import { getServices } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/**
 * A printable sheet of door plates for the addresses chosen on the list (`?id=1&id=2…`, at most
 * 200), each with its QR code as SVG encoding `${origin}/a/{code}`; the origin is PUBLIC_ORIGIN
 * when set, else this request's.
 */
export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	const ids = url.searchParams
		.getAll('id')
		.map(Number)
		.filter((id) => Number.isSafeInteger(id) && id > 0)
		.slice(0, 200);
	const addresses = await addressesByIds(database.sql, config.districtCode, ids);
	return { plates: await doorPlates(config.publicOrigin ?? url.origin, addresses) };
};
