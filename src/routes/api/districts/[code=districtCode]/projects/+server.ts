import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { listProjects } from '$lib/server/plan-monitoring/projects';
import { asOfFromUrl } from '$lib/server/plan-monitoring/requests';
import type { RequestHandler } from './$types';

/** The plan's projects with the stage each had reached on `?date=` (today by default). */
export const GET: RequestHandler = async ({ params, url }) => {
	const projects = await listProjects(getServices().database.sql, params.code, asOfFromUrl(url));
	return json(projects, { headers: { 'cache-control': 'no-store' } });
};
