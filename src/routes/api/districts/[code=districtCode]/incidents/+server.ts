import { json } from '@sveltejs/kit';
import { auditQueueRead } from '$lib/server/alerts/incident-detail';
import { openIncidents } from '$lib/server/alerts/incidents';
import { requestActor } from '$lib/server/audit/actor';
import { onlyVisible } from '$lib/server/auth/roles';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** Open incidents (of the user's streets): what a console loads first and again after a reconnect (audited). */
export const GET: RequestHandler = async (event) => {
	const { sql } = getServices().database;
	const incidents = onlyVisible(event.locals.user!, await openIncidents(sql, event.params.code));
	await auditQueueRead(sql, { actor: requestActor(event), districtCode: event.params.code }, incidents);
	return json(incidents, { headers: { 'cache-control': 'no-store' } });
};
