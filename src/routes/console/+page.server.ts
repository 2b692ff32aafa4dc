import { answerTimesToday } from '$lib/server/alerts/answer-times';
import { auditQueueRead } from '$lib/server/alerts/incident-detail';
import { topTiersBySeverity } from '$lib/server/alerts/sla-targets';
import { openIncidents } from '$lib/server/alerts/incidents';
import { requestActor } from '$lib/server/audit/actor';
import { onlyVisible } from '$lib/server/auth/roles';
import { getServices } from '$lib/server/context';
import { respondersOfDistrict } from '$lib/server/dispatch/responders';
import { districtMapData } from '$lib/server/regions/district-map';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
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
	const visible = onlyVisible(event.locals.user!, incidents);
	await auditQueueRead(sql, { actor: requestActor(event), districtCode: code }, visible);
	return { ...map, incidents: visible, responders, answerTimes, topTiers };
};
