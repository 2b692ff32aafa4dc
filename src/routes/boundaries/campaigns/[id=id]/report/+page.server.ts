import { error } from '@sveltejs/kit';
import { campaignDetail } from '$lib/server/boundaries/campaigns';
import { getServices } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** The campaign's printable report: progress, results by kind, and every marker's record. */
export const load: PageServerLoad = async ({ params }) => {
	const { database, config } = getServices();
	const detail = await campaignDetail(database.sql, config.districtCode, Number(params.id));
	if (!detail) error(404, 'Not found');
	return { ...detail, generatedAt: new Date() };
};
