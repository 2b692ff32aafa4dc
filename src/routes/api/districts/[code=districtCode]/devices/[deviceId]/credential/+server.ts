import { error, json } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { rotateCredentialFromApi } from '$lib/server/devices/api';
import type { RequestHandler } from './$types';

/** A new MQTT password for a device in service (the old one stops working); shown this once only. */
export const POST: RequestHandler = async (event) => {
	const outcome = await rotateCredentialFromApi(
		getServices().database.sql,
		event.params.code,
		event.params.deviceId,
		requestActor(event)
	);
	if (!outcome.ok) error(outcome.status, outcome.message);
	return json(outcome.value, { headers: { 'cache-control': 'no-store' } });
};
