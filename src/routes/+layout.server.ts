import { mayOpen } from '$lib/server/auth/policy';
import type { LayoutServerLoad } from './$types';

/** The pages linked from the map's header; each is shown only to those the policy lets open it. */
const NAV_PAGES = [
	'/console',
	'/planning',
	'/dashboard',
	'/gazetteer',
	'/addresses',
	'/boundaries',
	'/admin/dead-letters',
	'/admin/imports',
	'/admin/households',
	'/admin/devices',
	'/admin/audit',
	'/admin/users'
] as const;

export const load: LayoutServerLoad = ({ locals }) => ({
	locale: locals.locale,
	user: locals.user && { displayName: locals.user.displayName, role: locals.user.role },
	canOpen: NAV_PAGES.filter((page) => mayOpen(page, locals.user))
});
