/** What every page with the district map loads: its regions, facilities and basemap settings. */
import type { Services } from '../services';
import { facilitiesOfDistrict } from '../facilities/queries';
import { regionsOfDistrict } from './queries';

export async function districtMapData({ database, config }: Pick<Services, 'database' | 'config'>) {
	const [regions, facilities] = await Promise.all([
		regionsOfDistrict(database.sql, config.districtCode),
		facilitiesOfDistrict(database.sql, config.districtCode)
	]);
	return {
		districtCode: config.districtCode,
		basemapStyle: config.basemapStyle ?? null,
		basemapCrs: config.basemapCrs,
		regions,
		facilities
	};
}
