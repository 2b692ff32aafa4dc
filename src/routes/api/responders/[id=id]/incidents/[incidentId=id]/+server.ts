import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { OUTCOMES } from '$lib/alerts/outcomes';
import { responderActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { takeResponderStep } from '$lib/server/dispatch/responder-steps';
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
 * A responder working an incident from their phone, or a dispatcher acting for them: answer the
 * offer, then on the way, on scene, resolved. Declining asks the next responder at once. Audited
 * under whoever is acting.
 */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, step);
	const services = getServices();
	const responderId = Number(event.params.id);
	const changes = await asHttp(() =>
		takeResponderStep(services.database.sql, {
			incidentId: Number(event.params.incidentId),
			responderId,
			actor: responderActor(event, responderId).actor,
			step: body,
			acceptWithinS: services.config.offerAcceptS,
			districtCode: services.config.districtCode
		})
	);
	for (const change of changes) services.events.announce(change);
	return json(changes[0].incident);
};
