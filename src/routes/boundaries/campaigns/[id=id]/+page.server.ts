import { error, fail } from '@sveltejs/kit';
import { INSPECTION_RESULTS, type InspectionResult } from '$lib/boundaries/campaign-progress';
import { requestActor } from '$lib/server/audit/actor';
import { BoundaryError } from '$lib/server/boundaries/boundary-error';
import { campaignDetail, closeCampaign, recordInspection } from '$lib/server/boundaries/campaigns';
import { getServices } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

/** A campaign: each marker of its line with its inspection, a form per marker, and the progress. */
export const load: PageServerLoad = async ({ params }) => {
	const { database, config } = getServices();
	const detail = await campaignDetail(database.sql, config.districtCode, Number(params.id));
	if (!detail) error(404, 'Not found');
	return detail;
};

function coordinate(raw: FormDataEntryValue | null, min: number, max: number): number | null | undefined {
	const text = typeof raw === 'string' ? raw.trim() : '';
	if (!text) return null;
	const value = Number(text);
	return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

export const actions: Actions = {
	inspect: async (event) => {
		const form = await event.request.formData();
		const markerId = Number(form.get('markerId'));
		const result = String(form.get('result'));
		const lon = coordinate(form.get('lon'), -180, 180);
		const lat = coordinate(form.get('lat'), -90, 90);
		const inspector = String(form.get('inspector') ?? '').trim();
		const notes = String(form.get('notes') ?? '').trim();
		if (!(INSPECTION_RESULTS as readonly string[]).includes(result))
			return fail(400, { markerId, message: 'result: choose one' });
		if (lon === undefined || lat === undefined || (lon === null) !== (lat === null))
			return fail(400, { markerId, message: 'lon, lat: give both as WGS-84 degrees, or neither' });
		if (!inspector || inspector.length > 100)
			return fail(400, { markerId, message: 'inspector: a name is required' });
		const { database, config } = getServices();
		try {
			await recordInspection(database.sql, {
				districtCode: config.districtCode,
				campaignId: Number(event.params.id),
				markerId,
				result: result as InspectionResult,
				measured: lon === null || lat === null ? null : [lon, lat],
				notes: notes || null,
				inspector,
				actor: requestActor(event)
			});
		} catch (failure) {
			if (failure instanceof BoundaryError)
				return fail(400, { markerId, message: `${failure.code}: ${failure.message}` });
			throw failure;
		}
		return { markerId, saved: true };
	},
	close: async (event) => {
		const { database, config } = getServices();
		try {
			await closeCampaign(database.sql, config.districtCode, Number(event.params.id), requestActor(event));
		} catch (failure) {
			if (failure instanceof BoundaryError)
				return fail(409, { markerId: 0, message: `${failure.code}: ${failure.message}` });
			throw failure;
		}
		return { closed: true };
	}
};
