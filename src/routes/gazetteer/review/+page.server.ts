import { fail } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { gazetteerActor } from '$lib/server/gazetteer/actor';
import { GazetteerError, pendingChanges, reviewChange } from '$lib/server/gazetteer/places';
import type { Actions, PageServerLoad } from './$types';

/** The review queue: every pending change with its diff, its rule check, and where it is on the map. */
export const load: PageServerLoad = async () => {
	const { database, config } = getServices();
	return { pending: await pendingChanges(database.sql, config.districtCode) };
};

async function decide(event: Parameters<Actions[string]>[0], decision: 'approve' | 'reject') {
	const { database, config } = getServices();
	const form = await event.request.formData();
	const versionId = Number(form.get('versionId'));
	const note = String(form.get('note') ?? '');
	try {
		const done = await reviewChange(
			database.sql,
			config.districtCode,
			versionId,
			gazetteerActor(event),
			decision,
			note
		);
		return { done: done.version.record.standardName || String(versionId) };
	} catch (failure) {
		if (failure instanceof GazetteerError)
			return fail(400, { versionId, code: failure.code, message: failure.message });
		throw failure;
	}
}

export const actions: Actions = {
	approve: (event) => decide(event, 'approve'),
	reject: (event) => decide(event, 'reject')
};
