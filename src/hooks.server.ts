import type { Handle, HandleServerError } from '@sveltejs/kit';
import { DEFAULT_LOCALE, isLocale } from '$lib/i18n/messages';
import { LOCALE_COOKIE } from '$lib/i18n/locale.svelte';
import { getServices } from '$lib/server/context';

export const handle: Handle = async ({ event, resolve }) => {
	const requested = event.cookies.get(LOCALE_COOKIE);
	event.locals.locale = isLocale(requested) ? requested : DEFAULT_LOCALE;
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'same-origin');
	return response;
};

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
