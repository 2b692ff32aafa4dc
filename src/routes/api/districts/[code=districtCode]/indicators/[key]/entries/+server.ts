import { json } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import { addIndicatorEntry } from '$lib/server/plan-monitoring/indicators';
import { asPlanHttp } from '$lib/server/plan-monitoring/plan-error';
import { JSON_OBJECT_BODY } from '$lib/server/plan-monitoring/requests';
import type { RequestHandler } from './$types';

/**
 * Records a figure for an entered indicator: `{ value, asOf, source, note? }`. An entry
 * without its source is a 400 saying so; an indicator the platform counts is a 409.
 */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, JSON_OBJECT_BODY);
	const actor = requestActor(event);
	const entry = await asPlanHttp(() =>
		addIndicatorEntry(getServices().database.sql, {
			districtCode: event.params.code,
			key: event.params.key,
			entry: { value: body.value, asOf: body.asOf, source: body.source, note: body.note },
			actor
		})
	);
	return json(entry, { status: 201 });
};
