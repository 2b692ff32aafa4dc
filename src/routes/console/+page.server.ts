import { openIncidents } from '$lib/server/alerts/incidents';
import { getServices } from '$lib/server/context';
import { districtMapData } from '$lib/server/regions/district-map';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const services = getServices();
	const [map, incidents] = await Promise.all([
		districtMapData(services),
		openIncidents(services.database.sql, services.config.districtCode)
	]);
	return { ...map, incidents };
};
