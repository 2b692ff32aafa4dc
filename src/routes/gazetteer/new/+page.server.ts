import { fail } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { formValues, recordFromForm } from '$lib/server/gazetteer/forms';
import { GazetteerError, proposeNewPlace } from '$lib/server/gazetteer/places';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ values: formValues(null, null) });

export const actions: Actions = {
	/** A new name, submitted for review (click on the map to place it). */
	propose: async (event) => {
		const { database, config } = getServices();
		try {
			const { input, reason } = recordFromForm(await event.request.formData(), null);
			const created = await proposeNewPlace(
				database.sql,
				config.districtCode,
				input,
				gazetteerActor(event),
				reason
			);
			return { created: created.id };
		} catch (failure) {
			if (failure instanceof GazetteerError) return fail(400, { message: failure.message });
			throw failure;
		}
	}
};
