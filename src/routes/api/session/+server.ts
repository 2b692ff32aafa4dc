import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { logIn, logOut } from '$lib/server/auth/login';
import { SESSION_COOKIE, sessionCookieOptions } from '$lib/server/auth/sessions';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const credentials = z.object({
	username: z.string().trim().min(1).max(40),
	password: z.string().min(1).max(200)
});

/** Who is logged in (null when nobody): for the simulators and other API clients. */
export const GET: RequestHandler = ({ locals }) => json({ user: locals.user });

/**
 * Logs in an API client (the simulators, scripts): the session cookie is set as for the login page,
 * and its value is also returned for clients that keep it themselves (socket.io's `auth.session`).
 */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, credentials);
	const result = await logIn(getServices().database.sql, body, event.getClientAddress());
	if (!result.ok) error(result.reason === 'INVALID' ? 401 : 429, result.reason);
	event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url));
	return json({ user: result.user, session: result.token }, { headers: { 'cache-control': 'no-store' } });
};

export const DELETE: RequestHandler = async (event) => {
	await logOut(
		getServices().database.sql,
		event.cookies.get(SESSION_COOKIE),
		event.locals.user,
		event.getClientAddress()
	);
	event.cookies.delete(SESSION_COOKIE, { path: '/' });
	return new Response(null, { status: 204 });
};
