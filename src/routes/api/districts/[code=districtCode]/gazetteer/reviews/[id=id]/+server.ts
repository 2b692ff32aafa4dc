import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { gazetteerHttp } from '$lib/server/gazetteer/http';
import { reviewChange } from '$lib/server/gazetteer/places';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const decisionSchema = z.object({
	decision: z.enum(['approve', 'reject']),
	note: z.string().max(1000).optional()
});

/** A reviewer approves (publishes) or rejects a pending change; 422 lists the rules it breaks. */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, decisionSchema);
	return gazetteerHttp(async () =>
		json(
			await reviewChange(
				getServices().database.sql,
				event.params.code,
				Number(event.params.id),
				gazetteerActor(event),
				body.decision,
				body.note
			)
		)
	);
};
