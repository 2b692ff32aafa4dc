import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { logIn } from '$lib/server/auth/login';
import { SESSION_COOKIE, safeNextPath, sessionCookieOptions } from '$lib/server/auth/sessions';
import { getServices } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

const credentials = z.object({
	username: z.string().trim().min(1).max(40),
	password: z.string().min(1).max(200),
	next: z.string().max(500).optional()
});

export const load: PageServerLoad = ({ locals, url }) => {
	const next = safeNextPath(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = credentials.safeParse(Object.fromEntries(await event.request.formData()));
		if (!parsed.success) return fail(400, { reason: 'INVALID' as const, username: '' });
		const { username, password, next } = parsed.data;
		const result = await logIn(getServices().database.sql, { username, password }, event.getClientAddress());
		if (!result.ok) return fail(result.reason === 'INVALID' ? 400 : 429, { reason: result.reason, username });
		event.cookies.set(SESSION_COOKIE, result.token, sessionCookieOptions(event.url));
		redirect(303, safeNextPath(next));
	}
};
