import { error, json } from '@sveltejs/kit';
import { namedActor } from '$lib/server/audit/form-actor';
import { getServices } from '$lib/server/context';
import { asPlanHttp } from '$lib/server/plan-monitoring/plan-error';
import { advanceProject } from '$lib/server/plan-monitoring/projects';
import type { RequestHandler } from './$types';

/**
 * Moves a project to its next stage: `{ stage, reachedOn, note?, actor? }`. Skipping a stage is a
 * 409; opening it opens its facility from that date.
 */
export const POST: RequestHandler = async (event) => {
	let body: Record<string, unknown>;
	try {
		body = (await event.request.json()) as Record<string, unknown>;
	} catch {
		error(400, 'the body must be JSON');
	}
	if (!body || typeof body !== 'object') error(400, 'body: an object { stage, reachedOn } is required');
	const project = await asPlanHttp(() =>
		advanceProject(getServices().database.sql, {
			districtCode: event.params.code,
			projectId: Number(event.params.id),
			stage: body.stage,
			reachedOn: body.reachedOn,
			note: body.note,
			actor: namedActor(event, typeof body.actor === 'string' ? body.actor : null)
		})
	);
	return json(project);
};
