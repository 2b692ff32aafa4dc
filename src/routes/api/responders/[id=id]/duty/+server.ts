import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { responderActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { findResponder, setResponderDuty } from '$lib/server/dispatch/responders';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const duty = z.object({ status: z.enum(['available', 'off']) }).strict();

/** Going on or off duty (audited under whoever is acting); refused while the responder has a live job. */
export const POST: RequestHandler = async (event) => {
	const { status } = await readJsonBody(event.request, duty);
	const services = getServices();
	const id = Number(event.params.id);
	const { actor } = responderActor(event, id);
	const responder = await setResponderDuty(services.database.sql, id, status, actor);
	if (!responder) {
		const exists = await findResponder(services.database.sql, id);
		if (!exists) error(404, `responder ${id} does not exist`);
		error(409, `responder ${id} is busy with an incident; finish it first`);
	}
	services.events.emit('responder:changed', responder);
	return json(responder);
};
