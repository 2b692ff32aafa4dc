import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { placeRecordSchema } from '$lib/gazetteer/record';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { gazetteerHttp } from '$lib/server/gazetteer/http';
import { proposeChange } from '$lib/server/gazetteer/places';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const changeSchema = z.object({ record: placeRecordSchema, reason: z.string().min(1).max(1000) });

/** Proposes a new version (rename, move, retire…); it waits for a reviewer. */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, changeSchema);
	return gazetteerHttp(async () =>
		json(
			await proposeChange(
				getServices().database.sql,
				event.params.code,
				Number(event.params.id),
				body.record,
				gazetteerActor(event),
				body.reason
			),
			{ status: 201 }
		)
	);
};
