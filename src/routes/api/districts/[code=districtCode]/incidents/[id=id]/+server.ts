import { error, json } from '@sveltejs/kit';
import { incidentDetail } from '$lib/server/alerts/incident-detail';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** One incident with the resident's personal data: every read is audited. */
export const GET: RequestHandler = async (event) => {
	const detail = await incidentDetail(getServices().database.sql, Number(event.params.id), {
		actor: requestActor(event),
		districtCode: event.params.code
	});
	if (!detail) error(404, `incident ${event.params.id} does not exist in district ${event.params.code}`);
	return json(detail, { headers: { 'cache-control': 'no-store' } });
};
