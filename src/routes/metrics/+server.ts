import { getServices } from '$lib/server/context';
import { renderMetrics } from '$lib/server/metrics/metrics';
import type { RequestHandler } from './$types';

/** Prometheus scrape target. */
export const GET: RequestHandler = async () => {
	return new Response(await renderMetrics(getServices()), {
		headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' }
	});
};
