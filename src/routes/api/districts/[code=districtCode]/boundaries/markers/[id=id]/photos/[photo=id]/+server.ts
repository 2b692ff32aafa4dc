import { error } from '@sveltejs/kit';
import { markerPhoto } from '$lib/server/boundaries/markers';
import { getServices } from '$lib/server/context';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params }) => {
	const photo = await markerPhoto(
		getServices().database.sql,
		params.code,
		Number(params.id),
		Number(params.photo)
	);
	if (!photo) error(404, `photo ${params.photo} is not a photo of marker ${params.id}`);
	return new Response(new Uint8Array(photo.bytes), {
		headers: { 'content-type': photo.contentType, 'cache-control': 'private, max-age=86400' }
	});
};
