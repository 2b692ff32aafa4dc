import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { OUTCOMES } from '$lib/alerts/outcomes';
import { getServices } from '$lib/server/context';
import { answerOffer } from '$lib/server/dispatch/assignments';
import { offerToNextResponder, reportProgress } from '$lib/server/dispatch/dispatch';
import { asHttp, readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const step = z.discriminatedUnion('action', [
	z.object({ action: z.enum(['accept', 'decline']) }).strict(),
	z.object({ action: z.enum(['depart', 'arrive']), note: z.string().max(500).optional() }).strict(),
	z
		.object({ action: z.literal('resolve'), outcome: z.enum(OUTCOMES), note: z.string().max(500).optional() })
		.strict()
]);

/**
 * A responder working an incident from their phone: answer the offer, then on the way, on scene,
 * resolved. Declining asks the next responder at once.
 */
export const POST: RequestHandler = async ({ params, request }) => {
	const body = await readJsonBody(request, step);
	const services = getServices();
	const { sql } = services.database;
	const responderId = Number(params.id);
	const incidentId = Number(params.incidentId);
	const actor = `responder:${responderId}`;
	const change = await asHttp(() =>
		'outcome' in body || body.action === 'depart' || body.action === 'arrive'
			? reportProgress(sql, { incidentId, responderId, actor, ...body })
			: answerOffer(sql, { incidentId, responderId, accept: body.action === 'accept', actor })
	);
	services.events.announce(change);
	if (body.action === 'decline') {
		for (const next of await offerToNextResponder(sql, incidentId, services.config.offerAcceptS))
			services.events.announce(next);
	}
	return json(change.incident);
};
