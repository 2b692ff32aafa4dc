import { error, json } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { deviceBody, registerDeviceFromApi } from '$lib/server/devices/api';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

/** Registers a device in a household; the answer holds its MQTT password, shown this once only. */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, deviceBody);
	const outcome = await registerDeviceFromApi(
		getServices().database.sql,
		event.params.code,
		body,
		requestActor(event)
	);
	if (!outcome.ok) error(outcome.status, outcome.message);
	return json(outcome.value, { status: 201, headers: { 'cache-control': 'no-store' } });
};
