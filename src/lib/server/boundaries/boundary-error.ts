import { error } from '@sveltejs/kit';

/** A refusal the caller can act on: its code picks the HTTP status, its message says why. */
export class BoundaryError extends Error {
	constructor(
		readonly code: 'NOT_FOUND' | 'INVALID' | 'CONFLICT',
		message: string
	) {
		super(message);
	}
}

const STATUS = { NOT_FOUND: 404, INVALID: 400, CONFLICT: 409 } as const;

/** Runs a boundary action for an HTTP caller: a refusal becomes its status with the reason. */
export async function asBoundaryHttp<T>(action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (failure) {
		if (failure instanceof BoundaryError) error(STATUS[failure.code], `${failure.code}: ${failure.message}`);
		throw failure;
	}
}
