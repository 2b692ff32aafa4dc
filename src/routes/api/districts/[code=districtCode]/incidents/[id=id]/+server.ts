import { error, json } from '@sveltejs/kit';
import { incidentDetail } from '$lib/server/alerts/incident-detail';
import { requestActor } from '$lib/server/audit/actor';
import { detailForRole } from '$lib/server/auth/personal-data';
import { seesCommunity } from '$lib/server/auth/roles';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

/**
 * One incident with the resident's personal data, masked for roles that do not need it: every read
 * is audited. Outside the user's streets it does not exist for them.
 */
export const GET: RequestHandler = async (event) => {
	const user = event.locals.user!;
	const detail = await incidentDetail(getServices().database.sql, Number(event.params.id), {
		actor: requestActor(event),
		districtCode: event.params.code
	});
	if (!detail || !seesCommunity(user, detail.incident.communityCode))
		error(404, `incident ${event.params.id} does not exist in district ${event.params.code}`);
	return json(detailForRole(detail, user.role), { headers: { 'cache-control': 'no-store' } });
};
