import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { responderActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { moveResponder } from '$lib/server/dispatch/responders';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const position = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).strict();

/** A position report from a responder's phone; audited when someone else sets it for them. */
export const POST: RequestHandler = async (event) => {
	const { lon, lat } = await readJsonBody(event.request, position);
	const services = getServices();
	const id = Number(event.params.id);
	const { actor, onBehalf } = responderActor(event, id);
	const responder = await moveResponder(services.database.sql, id, [lon, lat], onBehalf ? actor : null);
	if (!responder) error(404, `responder ${id} does not exist`);
	services.events.emit('responder:changed', responder);
	return json(responder);
};
