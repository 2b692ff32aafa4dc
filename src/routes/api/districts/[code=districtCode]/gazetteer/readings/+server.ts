import { json } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { gazetteerHttp } from '$lib/server/gazetteer/http';
import { listReadings, readingSchema, saveReading } from '$lib/server/gazetteer/readings';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

/** The reviewed dictionary of place-name readings. */
export const GET: RequestHandler = async () => json(await listReadings(getServices().database.sql));

/** Adds or corrects a reading (reviewers). */
export const PUT: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, readingSchema);
	return gazetteerHttp(async () => {
		await saveReading(getServices().database.sql, body, gazetteerActor(event));
		return new Response(null, { status: 204 });
	});
};
