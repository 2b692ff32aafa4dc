import { json } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import { asPlanHttp } from '$lib/server/plan-monitoring/plan-error';
import { JSON_OBJECT_BODY } from '$lib/server/plan-monitoring/requests';
import { advanceProject } from '$lib/server/plan-monitoring/projects';
import type { RequestHandler } from './$types';

/**
 * Moves a project to its next stage: `{ stage, reachedOn, note? }`. Skipping a stage is a
 * 409; opening it opens its facility from that date.
 */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, JSON_OBJECT_BODY);
	const project = await asPlanHttp(() =>
		advanceProject(getServices().database.sql, {
			districtCode: event.params.code,
			projectId: Number(event.params.id),
			stage: body.stage,
			reachedOn: body.reachedOn,
			note: body.note,
			actor: requestActor(event)
		})
	);
	return json(project);
};
