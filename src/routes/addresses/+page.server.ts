import { fail } from '@sveltejs/kit';
import { importAddresses, listAddresses } from '$lib/server/addresses/addresses';
import { requestActor } from '$lib/server/audit/actor';
import { getServices } from '$lib/server/context';
import { formatOfFile } from '$lib/server/http/import-request';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 100;

/** The district's standard addresses (`?q=` searches, `?page=` pages), an import form and exports. */
export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	const q = url.searchParams.get('q')?.trim() || undefined;
	const page = Math.max(Number(url.searchParams.get('page')) || 1, 1);
	const { addresses, total } = await listAddresses(database.sql, config.districtCode, {
		q,
		limit: PAGE_SIZE,
		offset: (page - 1) * PAGE_SIZE
	});
	return { districtCode: config.districtCode, addresses, total, q: q ?? '', page, pageSize: PAGE_SIZE };
};

export const actions: Actions = {
	/** A file with a dry-run checkbox: the report names every bad row; a real run imports the good ones. */
	import: async (event) => {
		const form = await event.request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { message: 'file: a CSV or GeoJSON file is required' });
		const { database, config } = getServices();
		const result = await importAddresses(database.sql, {
			districtCode: config.districtCode,
			format: formatOfFile(file.name),
			text: await file.text(),
			dryRun: form.get('dryRun') === 'on',
			actor: requestActor(event)
		});
		return { result };
	}
};
