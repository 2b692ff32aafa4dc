import { answerTimesToday } from '$lib/server/alerts/answer-times';
import { topTiersBySeverity } from '$lib/server/alerts/sla-targets';
import { openIncidents } from '$lib/server/alerts/incidents';
import { onlyVisible } from '$lib/server/auth/roles';
import { getServices } from '$lib/server/context';
import { respondersOfDistrict } from '$lib/server/dispatch/responders';
import { districtMapData } from '$lib/server/regions/district-map';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const services = getServices();
	const { sql } = services.database;
	const code = services.config.districtCode;
	const [map, incidents, responders, answerTimes, topTiers] = await Promise.all([
		districtMapData(services),
		openIncidents(sql, code),
		respondersOfDistrict(sql, code),
		answerTimesToday(sql, code),
		topTiersBySeverity(sql)
	]);
	return { ...map, incidents: onlyVisible(locals.user!, incidents), responders, answerTimes, topTiers };
};
