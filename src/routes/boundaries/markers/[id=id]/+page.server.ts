import { error, fail } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { BoundaryError } from '$lib/server/boundaries/boundary-error';
import { addMarkerPhoto, findMarker, markerPhotos } from '$lib/server/boundaries/markers';
import { getServices } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

/** One marker: number, type, line, recorded position, condition, landmarks and photos. */
export const load: PageServerLoad = async ({ params }) => {
	const { database, config } = getServices();
	const marker = await findMarker(database.sql, config.districtCode, Number(params.id));
	if (!marker) error(404, 'Not found');
	return { districtCode: config.districtCode, marker, photos: await markerPhotos(database.sql, marker.id) };
};

export const actions: Actions = {
	photo: async (event) => {
		const form = await event.request.formData();
		const photo = form.get('photo');
		if (!(photo instanceof File) || photo.size === 0)
			return fail(400, { message: 'photo: a file is required' });
		const caption = String(form.get('caption') ?? '').trim();
		const { database, config } = getServices();
		try {
			await addMarkerPhoto(database.sql, {
				districtCode: config.districtCode,
				markerId: Number(event.params.id),
				bytes: new Uint8Array(await photo.arrayBuffer()),
				declaredType: photo.type,
				caption: caption || null,
				actor: requestActor(event)
			});
		} catch (failure) {
			if (failure instanceof BoundaryError)
				return fail(400, { message: `${failure.code}: ${failure.message}` });
			throw failure;
		}
		return { uploaded: true };
	}
};
