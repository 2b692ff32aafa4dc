import type { RequestEvent } from '@sveltejs/kit';

/**
 * Who is acting, for the timeline and the audit log: the logged-in account (src/hooks.server.ts
 * puts it on `locals`) and the client address the request came from.
 */
export function requestActor(event: Pick<RequestEvent, 'getClientAddress' | 'locals'>): string {
	const from = `web:${event.getClientAddress()}`;
	return event.locals.user ? `${event.locals.user.username} (${from})` : from;
}

/**
 * Who is acting on a route that names a responder (/api/responders/[id]/…): the responder from
 * their own account, recorded as `responder:<id>` on the timeline; or someone acting for them (a
 * dispatcher at the console), recorded under their own account as `<user> (web:…) for responder:<id>`.
 */
export function responderActor(
	event: Pick<RequestEvent, 'getClientAddress' | 'locals'>,
	responderId: number
): { actor: string; onBehalf: boolean } {
	const self = `responder:${responderId}`;
	if (event.locals.user?.responderId === responderId) return { actor: self, onBehalf: false };
	return { actor: `${requestActor(event)} for ${self}`, onBehalf: true };
}
