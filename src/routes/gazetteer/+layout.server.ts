import { mayOpen } from '$lib/server/auth/policy';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { LayoutServerLoad } from './$types';

const GAZETTEER_PAGES = [
	'/gazetteer/new',
	'/gazetteer/review',
	'/gazetteer/import',
	'/gazetteer/readings'
] as const;

/** What every gazetteer page needs: who is acting, the district's outlines and the basemap. */
export const load: LayoutServerLoad = async (event) => {
	const { database, config } = getServices();
	return {
		actor: gazetteerActor(event),
		// The header links only the gazetteer pages this user may open.
		canOpen: GAZETTEER_PAGES.filter((page) => mayOpen(page, event.locals.user)),
		districtCode: config.districtCode,
		basemapStyle: config.basemapStyle ?? null,
		basemapCrs: config.basemapCrs,
		regions: await regionsOfDistrict(database.sql, config.districtCode)
	};
};
