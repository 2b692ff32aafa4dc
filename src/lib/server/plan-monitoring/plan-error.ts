/**
 * A plan-monitoring request refused for a reason the person can fix; the code is stable, the
 * message says what to change. Routes turn it into 400/404/409 with both.
 */
import { error } from '@sveltejs/kit';

const STATUS = {
	NOT_FOUND: 404,
	SOURCE_REQUIRED: 400,
	BAD_VALUE: 400,
	BAD_DATE: 400,
	COMPUTED: 409,
	INVALID_STAGE: 409,
	NO_FACILITY: 409,
	ALREADY_OPEN: 409
} as const;

export type PlanErrorCode = keyof typeof STATUS;

export class PlanMonitoringError extends Error {
	constructor(
		readonly code: PlanErrorCode,
		message: string
	) {
		super(message);
		this.name = 'PlanMonitoringError';
	}

	get status(): number {
		return STATUS[this.code];
	}
}

/** Runs a plan-monitoring action for an API caller: a refusal becomes its status with code and reason. */
export async function asPlanHttp<T>(action: () => Promise<T>): Promise<T> {
	try {
		return await action();
	} catch (failure) {
		if (failure instanceof PlanMonitoringError) error(failure.status, `${failure.code}: ${failure.message}`);
		throw failure;
	}
}
