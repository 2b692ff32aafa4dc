import { error, json } from '@sveltejs/kit';
import { namedActor } from '$lib/server/audit/form-actor';
import { getServices } from '$lib/server/context';
import { addIndicatorEntry } from '$lib/server/plan-monitoring/indicators';
import { asPlanHttp } from '$lib/server/plan-monitoring/plan-error';
import type { RequestHandler } from './$types';

/**
 * Records a figure for an entered indicator: `{ value, asOf, source, note?, actor? }`. An entry
 * without its source is a 400 saying so; an indicator the platform counts is a 409.
 */
export const POST: RequestHandler = async (event) => {
	let body: Record<string, unknown>;
	try {
		body = (await event.request.json()) as Record<string, unknown>;
	} catch {
		error(400, 'the body must be JSON');
	}
	if (!body || typeof body !== 'object') error(400, 'body: an object { value, asOf, source } is required');
	const actor = namedActor(event, typeof body.actor === 'string' ? body.actor : null);
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
