import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { RESPONDER_ROLES } from '$lib/realtime/events';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { registerResponder, respondersOfDistrict } from '$lib/server/dispatch/responders';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	return json(await respondersOfDistrict(getServices().database.sql, params.code), {
		headers: { 'cache-control': 'no-store' }
	});
};

const FOREIGN_KEY_VIOLATION = '23503';
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00–24:00)');

const registration = z
	.object({
		externalId: z.string().trim().min(1).max(100),
		name: z.string().trim().min(1).max(100),
		phone: z.string().trim().max(40).nullish(),
		role: z.enum(RESPONDER_ROLES),
		communityCode: z
			.string()
			.regex(/^\d{12}$/, 'must be a 12-digit community code')
			.nullish(),
		streetCode: z
			.string()
			.regex(/^\d{9}$/, 'must be a 9-digit street code')
			.nullish(),
		skills: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
		location: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).nullish(),
		shiftStart: hhmm.optional(),
		shiftEnd: hhmm.optional()
	})
	.strict();

/**
 * Registers a responder (the responders' app on first start, the simulators), or updates the one
 * with the same externalId: registering twice changes nothing but what the body says. Audited.
 */
export const POST: RequestHandler = async (event) => {
	const { params } = event;
	const body = await readJsonBody(event.request, registration);
	for (const field of ['communityCode', 'streetCode'] as const) {
		const code = body[field];
		if (code && !code.startsWith(params.code))
			error(400, `${field}: ${code} is not in district ${params.code}`);
	}
	const services = getServices();
	const { sql } = services.database;
	let responder;
	try {
		responder = await registerResponder(sql, { ...body, districtCode: params.code }, requestActor(event));
	} catch (failure) {
		if ((failure as { code?: string }).code === FOREIGN_KEY_VIOLATION)
			error(400, `district ${params.code}, its street or its community is not in the register`);
		throw failure;
	}
	services.events.emit('responder:changed', responder);
	return json(responder);
};
