import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { listHouseholds } from '$lib/server/devices/households';
import { pageNumber } from '$lib/server/devices/paging';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { database, config } = getServices();
	const search = event.url.searchParams.get('q')?.trim() ?? '';
	const page = pageNumber(event.url.searchParams.get('page'));
	const list = await listHouseholds(
		database.sql,
		{ districtCode: config.districtCode, search, page },
		requestActor(event)
	);
	return { search, deleted: event.url.searchParams.get('deleted'), ...list };
};
