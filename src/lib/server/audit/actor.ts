import type { RequestEvent } from '@sveltejs/kit';

/**
 * Who is acting, for the timeline and the audit log. Until people log in (the roles issue), the most
 * precise thing we know about a web request is where it came from.
 */
export function requestActor(event: Pick<RequestEvent, 'getClientAddress'>): string {
	return `web:${event.getClientAddress()}`;
}
