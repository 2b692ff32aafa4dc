import { redirect, type Handle, type HandleServerError, type RequestEvent } from '@sveltejs/kit';
import { DEFAULT_LOCALE, isLocale, translate } from '$lib/i18n/messages';
import { LOCALE_COOKIE } from '$lib/i18n/locale.svelte';
import { actsAsSelf, decide } from '$lib/server/auth/policy';
import { SESSION_COOKIE, sessionUser } from '$lib/server/auth/sessions';
import { getServices } from '$lib/server/context';

/**
 * Every request passes here: the session cookie names the user (`locals.user`), and the one policy
 * table (src/lib/server/auth/policy.ts) decides, by route id and method, whether they may go on.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const requested = event.cookies.get(LOCALE_COOKIE);
	event.locals.locale = isLocale(requested) ? requested : DEFAULT_LOCALE;

	const token = event.cookies.get(SESSION_COOKIE);
	event.locals.user = token ? await sessionUser(getServices().database.sql, token) : null;
	// A cookie that names no session (expired, forged, logged out elsewhere) is dropped.
	if (token && !event.locals.user) event.cookies.delete(SESSION_COOKIE, { path: '/' });

	let decision = decide(event.route.id, event.request.method, event.locals.user);
	if (decision === 'allow' && !actsAsSelf(event.route.id, event.params, event.locals.user)) decision = 'deny';
	const response =
		decision === 'allow'
			? await resolve(event, {
					transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
				})
			: refusal(event, decision);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	return response;
};

/**
 * Someone not logged in who opens a page is sent to the login page and brought back after; API
 * callers get 401/403 as JSON with a stable code; a page refused to a logged-in user says why.
 */
function refusal(event: RequestEvent, decision: 'login' | 'deny'): Response {
	const { pathname, search } = event.url;
	const isApi =
		pathname.startsWith('/api/') || event.request.headers.get('accept')?.includes('application/json');
	if (decision === 'login' && event.request.method === 'GET' && !isApi)
		redirect(303, `/login?next=${encodeURIComponent(pathname + search)}`);
	const status = decision === 'login' ? 401 : 403;
	const code = decision === 'login' ? 'LOGIN_REQUIRED' : 'FORBIDDEN';
	const message = translate(
		event.locals.locale,
		decision === 'login' ? 'auth.refused.login' : 'auth.refused.forbidden'
	);
	if (isApi) return Response.json({ code, message }, { status, headers: { 'cache-control': 'no-store' } });
	return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Unexpected errors are logged in full and shown to the user only as a generic message. */
export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) {
		getServices().log.error(
			{ err: error, route: event.route.id },
			'unexpected error while handling a request'
		);
	}
	return { message: status === 404 ? 'Not found' : 'Internal error' };
};
