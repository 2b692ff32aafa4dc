import { openIncidents } from '$lib/server/alerts/incidents';
import { getServices } from '$lib/server/context';
import { facilitiesOfDistrict } from '$lib/server/facilities/queries';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getServices();
	const [regions, facilities, incidents] = await Promise.all([
		regionsOfDistrict(database.sql, config.districtCode),
		facilitiesOfDistrict(database.sql, config.districtCode),
		openIncidents(database.sql, config.districtCode)
	]);
	return {
		districtCode: config.districtCode,
		basemapStyle: config.basemapStyle ?? null,
		basemapCrs: config.basemapCrs,
		regions,
		facilities,
		incidents
	};
};
