import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { LayoutServerLoad } from './$types';

/** What every gazetteer page needs: who is acting, the district's outlines and the basemap. */
export const load: LayoutServerLoad = async (event) => {
	const { database, config } = getServices();
	return {
		actor: gazetteerActor(event),
		districtCode: config.districtCode,
		basemapStyle: config.basemapStyle ?? null,
		basemapCrs: config.basemapCrs,
		regions: await regionsOfDistrict(database.sql, config.districtCode)
	};
};
