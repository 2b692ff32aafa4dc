import { error, json } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { householdBody, registerHouseholdFromApi } from '$lib/server/devices/api';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

/** Registers an elderly client's household (personal data: audited as `household.create`). */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, householdBody);
	const outcome = await registerHouseholdFromApi(
		getServices().database.sql,
		event.params.code,
		body,
		requestActor(event)
	);
	if (!outcome.ok) error(outcome.status, outcome.message);
	return json(outcome.value, { status: 201 });
};
