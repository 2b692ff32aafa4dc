import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { getServices } from '$lib/server/context';
import { moveResponder } from '$lib/server/dispatch/responders';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const position = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).strict();

/** A position report from a responder's phone. */
export const POST: RequestHandler = async ({ params, request }) => {
	const { lon, lat } = await readJsonBody(request, position);
	const services = getServices();
	const responder = await moveResponder(services.database.sql, Number(params.id), [lon, lat]);
	if (!responder) error(404, `responder ${params.id} does not exist`);
	services.events.emit('responder:changed', responder);
	return json(responder);
};
