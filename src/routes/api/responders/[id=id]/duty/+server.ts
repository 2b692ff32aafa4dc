import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { getServices } from '$lib/server/context';
import { findResponder, setResponderDuty } from '$lib/server/dispatch/responders';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const duty = z.object({ status: z.enum(['available', 'off']) }).strict();

/** Going on or off duty; refused while the responder has a live job. */
export const POST: RequestHandler = async ({ params, request }) => {
	const { status } = await readJsonBody(request, duty);
	const services = getServices();
	const responder = await setResponderDuty(services.database.sql, Number(params.id), status);
	if (!responder) {
		const exists = await findResponder(services.database.sql, Number(params.id));
		if (!exists) error(404, `responder ${params.id} does not exist`);
		error(409, `responder ${params.id} is busy with an incident; finish it first`);
	}
	services.events.emit('responder:changed', responder);
	return json(responder);
};
