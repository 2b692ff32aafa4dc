import { json } from '@sveltejs/kit';
import { answerTimesToday } from '$lib/server/alerts/answer-times';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	return json(await answerTimesToday(getServices().database.sql, params.code), {
		headers: { 'cache-control': 'no-store' }
	});
};
