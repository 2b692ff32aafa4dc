import { redirect } from '@sveltejs/kit';
import { logOut } from '$lib/server/auth/login';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { getServices } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

/** Logging out is a POST (a link or an image elsewhere cannot log anyone out); GET just goes to login. */
export const load: PageServerLoad = () => redirect(303, '/login');

export const actions: Actions = {
	default: async (event) => {
		await logOut(
			getServices().database.sql,
			event.cookies.get(SESSION_COOKIE),
			event.locals.user,
			event.getClientAddress()
		);
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
};
