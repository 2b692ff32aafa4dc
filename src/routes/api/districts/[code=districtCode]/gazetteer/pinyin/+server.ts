import { error, json } from '@sveltejs/kit';
import { placeNamePinyin, splitName } from '$lib/gazetteer/pinyin';
import { getServices } from '$lib/server/context';
import { loadReadings } from '$lib/server/gazetteer/places';
import type { RequestHandler } from './$types';

/** The generated official pinyin of `?name=&class=` with the reviewed readings (the forms' "generate"). */
export const GET: RequestHandler = async ({ url }) => {
	const name = (url.searchParams.get('name') ?? '').trim();
	if (!name || name.length > 100) error(400, 'name must be 1–100 characters');
	const classCode = url.searchParams.get('class') ?? undefined;
	const readings = await loadReadings(getServices().database.sql);
	const parts = splitName(name, classCode);
	return json({
		...parts,
		pinyin: placeNamePinyin(name, { classCode, readings, parts }),
		toned: placeNamePinyin(name, { classCode, readings, parts, tones: true })
	});
};
