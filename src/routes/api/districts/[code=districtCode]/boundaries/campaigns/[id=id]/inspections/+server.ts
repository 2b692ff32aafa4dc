import { json } from '@sveltejs/kit';
import { INSPECTION_RESULTS } from '$lib/boundaries/campaign-progress';
import { z } from 'zod';
import { requestActor } from '$lib/server/audit/actor';
import { asBoundaryHttp } from '$lib/server/boundaries/boundary-error';
import { recordInspection } from '$lib/server/boundaries/campaigns';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const inspectionSchema = z.object({
	markerId: z.number().int().positive(),
	result: z.enum(INSPECTION_RESULTS),
	measured: z
		.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
		.nullable()
		.default(null),
	notes: z.string().trim().max(2000).nullable().default(null),
	inspector: z.string().trim().min(1).max(100)
});

/** Records (or replaces) one marker's inspection in the campaign. */
export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, inspectionSchema);
	const inspection = await asBoundaryHttp(() =>
		recordInspection(getServices().database.sql, {
			...body,
			districtCode: event.params.code,
			campaignId: Number(event.params.id),
			actor: requestActor(event)
		})
	);
	return json(inspection, { status: 201 });
};
