import { error, fail } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { formValues, recordFromForm } from '$lib/server/gazetteer/forms';
import { GazetteerError, findPlace, placeVersions, proposeChange } from '$lib/server/gazetteer/places';
import type { Actions, PageServerLoad } from './$types';

/** A name as published, its history (every version, pending ones marked), and the form to propose a change. */
export const load: PageServerLoad = async ({ params }) => {
	const { database, config } = getServices();
	const place = await findPlace(database.sql, config.districtCode, Number(params.id));
	if (!place) error(404, `place name ${params.id} is not in district ${config.districtCode}`);
	const [versions, successor] = await Promise.all([
		placeVersions(database.sql, place.id),
		place.record.successorId
			? findPlace(database.sql, config.districtCode, place.record.successorId)
			: undefined
	]);
	return {
		place,
		versions,
		successor: successor ? { id: successor.id, name: successor.record.standardName } : null,
		values: formValues(place.publishedVersion > 0 ? place.record : null, place.point)
	};
};

export const actions: Actions = {
	propose: async (event) => {
		const { database, config } = getServices();
		const id = Number(event.params.id);
		try {
			const place = await findPlace(database.sql, config.districtCode, id);
			if (!place) error(404, `place name ${id} is not in district ${config.districtCode}`);
			const { input, reason } = recordFromForm(await event.request.formData(), place.record);
			const change = await proposeChange(
				database.sql,
				config.districtCode,
				id,
				input,
				gazetteerActor(event),
				reason
			);
			return { proposed: change.version };
		} catch (failure) {
			if (failure instanceof GazetteerError) return fail(400, { message: failure.message });
			throw failure;
		}
	}
};
