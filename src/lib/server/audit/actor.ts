import type { RequestEvent } from '@sveltejs/kit';

/**
 * Who is acting, for the timeline and the audit log: the logged-in account (src/hooks.server.ts
 * puts it on `locals`) and the client address the request came from.
 */
export function requestActor(event: Pick<RequestEvent, 'getClientAddress' | 'locals'>): string {
	const from = `web:${event.getClientAddress()}`;
	return event.locals.user ? `${event.locals.user.username} (${from})` : from;
}
