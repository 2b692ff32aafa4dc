import { getServices } from '$lib/server/context';
import { recentDeadLetters } from '$lib/server/ingest/dead-letters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const { letters, total } = await recentDeadLetters(getServices().database.sql);
	return { total, letters: letters.map((l) => ({ ...l, receivedAt: l.receivedAt.toISOString() })) };
};
