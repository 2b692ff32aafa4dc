import { error } from '@sveltejs/kit';
import type { z } from 'zod';
import type { RefusalDetail } from '../../realtime/events';
import { IncidentActionError } from '../alerts/incidents';

/** Reads a JSON request body against a schema; anything else is a 400 naming the first problem. */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
	let body: unknown;
	try {
		body = await request.json();
	} catch {
		error(400, 'the body must be JSON');
	}
	const parsed = schema.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		error(400, `${issue.path.join('.') || 'body'}: ${issue.message}`);
	}
	return parsed.data;
}

const STATUS_OF = { NOT_FOUND: 404, INVALID_TRANSITION: 409, CONFLICT: 409, UNAVAILABLE: 409 } as const;

/**
 * Runs an incident action for an HTTP caller: a refusal becomes its status, with a body of its
 * code, the reason, and why as data (RefusalDetail) when there is one.
 */
export async function asHttp<T>(action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (failure) {
		if (failure instanceof IncidentActionError) {
			const body: App.Error & { detail?: RefusalDetail } = {
				message: `${failure.code}: ${failure.message}`,
				code: failure.code,
				...(failure.detail && { detail: failure.detail })
			};
			error(STATUS_OF[failure.code], body);
		}
		throw failure;
	}
}
