import { error, redirect } from '@sveltejs/kit';
import { normaliseAddressCode } from '$lib/addresses/address-code';
import { publicAddress } from '$lib/server/addresses/public-address';
import { getServices } from '$lib/server/context';
import { RateLimiter } from '$lib/server/http/rate-limit';
import type { PageServerLoad } from './$types';

/** 60 pages a minute per client address: plenty for people scanning plates, little for a scraper. */
const limiter = new RateLimiter(60, 60_000);

/**
 * The public page a QR door plate opens. Public: no login, rate-limited per IP, and it shows only
 * the address itself (never who lives there). A code typed loosely is redirected to its printed form.
 */
export const load: PageServerLoad = async ({ params, getClientAddress }) => {
	if (!limiter.take(getClientAddress())) error(429, 'Too many requests');
	const code = normaliseAddressCode(params.code);
	if (!code) error(404, 'Not found');
	if (code !== params.code) redirect(301, `/a/${encodeURIComponent(code)}`);
	const address = await publicAddress(getServices().database.sql, code);
	if (!address) error(404, 'Not found');
	return { address };
};
