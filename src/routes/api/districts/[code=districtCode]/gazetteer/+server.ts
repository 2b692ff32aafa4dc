import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { placeRecordSchema } from '$lib/gazetteer/record';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { gazetteerHttp } from '$lib/server/gazetteer/http';
import { proposeNewPlace } from '$lib/server/gazetteer/places';
import { searchPlaces } from '$lib/server/gazetteer/search';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

/** Search: `?q=` Chinese, pinyin (tones and spaces optional), initials, aliases, former names. */
export const GET: RequestHandler = async ({ params, url }) => {
	const q = url.searchParams.get('q') ?? '';
	const limit = Number(url.searchParams.get('limit') ?? 20);
	if (!Number.isInteger(limit) || limit < 1 || limit > 200) error(400, 'limit must be a whole number 1–200');
	return json(await searchPlaces(getServices().database.sql, params.code, q, limit));
};

const proposalSchema = z.object({ record: placeRecordSchema, reason: z.string().min(1).max(1000) });

/** Proposes a new place name; it is published when a reviewer approves it. */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, proposalSchema);
	return gazetteerHttp(async () =>
		json(
			await proposeNewPlace(
				getServices().database.sql,
				event.params.code,
				body.record,
				gazetteerActor(event),
				body.reason
			),
			{ status: 201 }
		)
	);
};
