import { fail } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { importPlaces } from '$lib/server/gazetteer/exchange';
import type { Actions } from './$types';

export const actions: Actions = {
	/** A GeoJSON or CSV upload: a dry run lists every bad row; a real run proposes every name for review. */
	default: async (event) => {
		const form = await event.request.formData();
		const file = form.get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { message: 'file: choose a file' });
		const format = /\.csv$/i.test(file.name) ? 'csv' : 'geojson';
		const { database, config } = getServices();
		const report = await importPlaces(
			database.sql,
			config.districtCode,
			await file.text(),
			format,
			gazetteerActor(event),
			{ dryRun: form.get('dryRun') === 'on' }
		);
		return { report, file: file.name };
	}
};
