import { fail } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { decide } from '$lib/server/auth/policy';
import { getServices } from '$lib/server/context';
import { listHouseholds } from '$lib/server/devices/households';
import { pageNumber } from '$lib/server/devices/paging';
import { importRegistryUpload, REGISTRY_UPLOAD_MAX_BYTES } from '$lib/server/imports/registry-upload';
import { CRS_NAMES } from '$lib/geo/crs';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { database, config } = getServices();
	const search = event.url.searchParams.get('q')?.trim() ?? '';
	const page = pageNumber(event.url.searchParams.get('page'));
	const list = await listHouseholds(
		database.sql,
		{ districtCode: config.districtCode, search, page },
		requestActor(event)
	);
	return {
		search,
		deleted: event.url.searchParams.get('deleted'),
		...list,
		// The import form is for those who may post here (the policy's write rule).
		canImport: decide(event.route.id, 'POST', event.locals.user) === 'allow',
		crsNames: CRS_NAMES,
		maxUploadMegabytes: REGISTRY_UPLOAD_MAX_BYTES / 1024 / 1024
	};
};

export const actions: Actions = {
	/** A households or devices CSV: `mode=check` reports every bad line, `mode=import` writes the good ones. */
	import: async (event) => {
		const { database, config } = getServices();
		const outcome = await importRegistryUpload(database.sql, await event.request.formData(), {
			districtCode: config.districtCode,
			actor: requestActor(event)
		});
		if ('refused' in outcome) return fail(400, { refused: outcome.refused });
		return { result: outcome.result };
	}
};
