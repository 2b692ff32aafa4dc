/**
 * A failure the operator can fix (bad setting, missing service, missing extension).
 * The process entry prints its message as one line and exits non-zero, without a stack trace.
 */
export class StartupError extends Error {
	constructor(
		readonly code: string,
		message: string
	) {
		super(message);
	}
}

/** Hides the password of a connection URL so it can be shown in logs and errors. */
export function redactUrl(url: string): string {
	return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
