/**
 * The gazetteer's refusals for HTTP callers: each GazetteerError code has its status, and the body
 * carries the code, the message and the broken rules, so a client can show them beside the fields.
 */
import { json } from '@sveltejs/kit';
import { GazetteerError, type GazetteerErrorCode } from './places';

export const GAZETTEER_STATUS: Record<GazetteerErrorCode, number> = {
	NOT_FOUND: 404,
	FORBIDDEN: 403,
	OWN_CHANGE: 403,
	NOT_PENDING: 409,
	RULES: 422,
	INVALID: 400
};

/** Runs a gazetteer action; an expected refusal becomes its status with `{ code, message, violations }`. */
export async function gazetteerHttp(action: () => Promise<Response>): Promise<Response> {
	try {
		return await action();
	} catch (failure) {
		if (failure instanceof GazetteerError)
			return json(
				{ code: failure.code, message: failure.message, violations: failure.violations },
				{ status: GAZETTEER_STATUS[failure.code] }
			);
		throw failure;
	}
}
