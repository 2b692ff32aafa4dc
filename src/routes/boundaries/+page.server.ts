import { fail, redirect } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { BoundaryError } from '$lib/server/boundaries/boundary-error';
import { createCampaign, listCampaigns } from '$lib/server/boundaries/campaigns';
import { boundaryLines, deriveBoundaryLines } from '$lib/server/boundaries/lines';
import { importMarkers, listMarkers } from '$lib/server/boundaries/markers';
import { getServices } from '$lib/server/context';
import { formatOfFile } from '$lib/server/http/import-request';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { Actions, PageServerLoad } from './$types';

/** Lines and markers on a map, marker import and export, and the joint inspection campaigns. */
export const load: PageServerLoad = async () => {
	const { database, config } = getServices();
	const [regions, lines, markers, campaigns] = await Promise.all([
		regionsOfDistrict(database.sql, config.districtCode),
		boundaryLines(database.sql, config.districtCode),
		listMarkers(database.sql, config.districtCode),
		listCampaigns(database.sql, config.districtCode)
	]);
	return {
		districtCode: config.districtCode,
		basemapStyle: config.basemapStyle ?? null,
		basemapCrs: config.basemapCrs,
		district: regions.features.find((f) => f.properties.level === 'district'),
		lines,
		markers,
		campaigns
	};
};

export const actions: Actions = {
	derive: async (event) => {
		const { database, config } = getServices();
		const count = await deriveBoundaryLines(database.sql, config.districtCode, requestActor(event));
		return { derived: count };
	},
	importMarkers: async (event) => {
		const form = await event.request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { message: 'file: a CSV or GeoJSON file is required' });
		const { database, config } = getServices();
		const result = await importMarkers(database.sql, {
			districtCode: config.districtCode,
			format: formatOfFile(file.name),
			text: await file.text(),
			dryRun: form.get('dryRun') === 'on',
			actor: requestActor(event)
		});
		return { result };
	},
	createCampaign: async (event) => {
		const form = await event.request.formData();
		const lineId = Number(form.get('lineId'));
		const name = String(form.get('name') ?? '').trim();
		const toleranceM = Number(form.get('toleranceM'));
		if (!Number.isSafeInteger(lineId) || lineId < 1) return fail(400, { message: 'lineId: choose a line' });
		if (!name || name.length > 200) return fail(400, { message: 'name: 1 to 200 characters' });
		if (!(toleranceM > 0 && toleranceM <= 1000))
			return fail(400, { message: 'toleranceM: a distance in metres above 0' });
		const { database, config } = getServices();
		let id: number;
		try {
			({ id } = await createCampaign(database.sql, {
				districtCode: config.districtCode,
				lineId,
				name,
				toleranceM,
				actor: requestActor(event)
			}));
		} catch (failure) {
			if (failure instanceof BoundaryError)
				return fail(400, { message: `${failure.code}: ${failure.message}` });
			throw failure;
		}
		redirect(303, `/boundaries/campaigns/${id}`);
	}
};
