import { recentAudit } from '$lib/server/audit/audit-log';
import { getServices } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const subject = {
		subjectType: url.searchParams.get('subjectType') || undefined,
		subjectId: url.searchParams.get('subjectId') || undefined
	};
	const { database, config } = getServices();
	const entries = await recentAudit(database.sql, { ...subject, districtCode: config.districtCode });
	return { subject, entries };
};
