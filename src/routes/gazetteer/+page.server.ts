import { getServices } from '$lib/server/context';
import { publishedNamePoints } from '$lib/server/gazetteer/layer';
import { searchPlaces } from '$lib/server/gazetteer/search';
import type { PageServerLoad } from './$types';

/** The search page: `?q=` answered on the server too, so the first paint already has the hits. */
export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	const q = url.searchParams.get('q') ?? '';
	const [names, hits] = await Promise.all([
		publishedNamePoints(database.sql, config.districtCode),
		q ? searchPlaces(database.sql, config.districtCode, q) : Promise.resolve([])
	]);
	return { q, names, hits };
};
