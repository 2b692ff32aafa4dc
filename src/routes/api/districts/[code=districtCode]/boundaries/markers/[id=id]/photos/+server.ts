import { error, json } from '@sveltejs/kit';
import { requestActor } from '$lib/server/audit/actor';
import { asBoundaryHttp } from '$lib/server/boundaries/boundary-error';
import { addMarkerPhoto, markerPhotos } from '$lib/server/boundaries/markers';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) =>
	json(await markerPhotos(getServices().database.sql, Number(params.id)));

/** A photo as multipart form data: `photo` (the file) and an optional `caption`. */
export const POST: RequestHandler = async (event) => {
	const form = await event.request.formData();
	const photo = form.get('photo');
	if (!(photo instanceof File)) error(400, 'photo: a file is required');
	const caption = form.get('caption');
	const id = await asBoundaryHttp(async () =>
		addMarkerPhoto(getServices().database.sql, {
			districtCode: event.params.code,
			markerId: Number(event.params.id),
			bytes: new Uint8Array(await photo.arrayBuffer()),
			declaredType: photo.type,
			caption: typeof caption === 'string' && caption.trim() ? caption.trim() : null,
			actor: requestActor(event)
		})
	);
	return json({ id }, { status: 201 });
};
