import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { incidentDetail } from '$lib/server/alerts/incident-detail';
import { recordAudit } from '$lib/server/audit/audit-log';
import { requestActor } from '$lib/server/audit/actor';
import { seesCommunity } from '$lib/server/auth/roles';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const unmaskBody = z.object({ reason: z.string().trim().min(4, 'say why (at least 4 characters)').max(300) });

/**
 * Reveals the masked personal data of an incident's household: an explicit act with a reason,
 * written to the audit log before the data is returned.
 */
export const POST: RequestHandler = async (event) => {
	const { reason } = await readJsonBody(event.request, unmaskBody);
	const { sql } = getServices().database;
	const actor = requestActor(event);
	const detail = await incidentDetail(sql, Number(event.params.id), {
		actor,
		districtCode: event.params.code
	});
	if (!detail || !seesCommunity(event.locals.user!, detail.incident.communityCode))
		error(404, `incident ${event.params.id} does not exist in district ${event.params.code}`);
	await recordAudit(sql, {
		actor,
		action: 'personal_data.unmask',
		subjectType: 'household',
		subjectId: detail.household.id,
		districtCode: event.params.code,
		detail: { reason, incidentId: detail.incident.id }
	});
	return json(detail.household, { headers: { 'cache-control': 'no-store' } });
};
