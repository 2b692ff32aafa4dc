import { getServices } from '$lib/server/context';
import { recentImportRuns } from '$lib/server/imports/import-runs';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { database, config } = getServices();
	const runs = await recentImportRuns(database.sql, config.districtCode);
	return { runs: runs.map((run) => ({ ...run, startedAt: run.startedAt.toISOString() })) };
};
