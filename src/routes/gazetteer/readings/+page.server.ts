import { fail } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { GazetteerError } from '$lib/server/gazetteer/places';
import { listReadings, saveReading } from '$lib/server/gazetteer/readings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({
	readings: await listReadings(getServices().database.sql)
});

export const actions: Actions = {
	/** Adds or corrects a reading of the reviewed dictionary (reviewers). */
	default: async (event) => {
		const form = await event.request.formData();
		try {
			await saveReading(
				getServices().database.sql,
				{
					word: String(form.get('word') ?? '').trim(),
					reading: String(form.get('reading') ?? '').trim(),
					note: String(form.get('note') ?? '') || null
				},
				gazetteerActor(event)
			);
			return { saved: true };
		} catch (failure) {
			if (failure instanceof GazetteerError)
				return fail(400, { code: failure.code, message: failure.message });
			throw failure;
		}
	}
};
