import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { requestActor } from '$lib/server/audit/actor';
import { asBoundaryHttp } from '$lib/server/boundaries/boundary-error';
import { createCampaign, listCampaigns } from '$lib/server/boundaries/campaigns';
import { getServices } from '$lib/server/context';
import { readJsonBody } from '$lib/server/http/json-body';
import type { RequestHandler } from './$types';

const campaignSchema = z.object({
	lineId: z.number().int().positive(),
	name: z.string().trim().min(1).max(200),
	toleranceM: z.number().positive().max(1000).default(1)
});

export const GET: RequestHandler = async ({ params }) =>
	json(await listCampaigns(getServices().database.sql, params.code));

export const POST: RequestHandler = async (event) => {
	const body = await readJsonBody(event.request, campaignSchema);
	const campaign = await asBoundaryHttp(() =>
		createCampaign(getServices().database.sql, {
			...body,
			districtCode: event.params.code,
			actor: requestActor(event)
		})
	);
	return json(campaign, { status: 201 });
};
