import { getServices } from '$lib/server/context';
import { pageNumber } from '$lib/server/devices/paging';
import {
	DEAD_LETTER_KINDS,
	KEPT_PAYLOAD_BYTES,
	findDeadLetters,
	type DeadLetterKind
} from '$lib/server/ingest/dead-letters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url }) => {
	const kind = url.searchParams.get('reason');
	const day = url.searchParams.get('day');
	const filter = {
		kind: (DEAD_LETTER_KINDS as readonly (string | null)[]).includes(kind)
			? (kind as DeadLetterKind)
			: undefined,
		text: url.searchParams.get('q')?.trim() || undefined,
		day: day && /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)) ? day : undefined
	};
	const found = await findDeadLetters(getServices().database.sql, {
		...filter,
		page: pageNumber(url.searchParams.get('page'))
	});
	return {
		filter,
		kinds: DEAD_LETTER_KINDS,
		keptBytes: KEPT_PAYLOAD_BYTES,
		total: found.total,
		page: found.page,
		pageCount: found.pageCount,
		letters: found.letters.map(({ payload, receivedAt, ...letter }) => ({
			...letter,
			receivedAt: receivedAt.toISOString(),
			payloadHex: Buffer.from(payload).toString('hex')
		}))
	};
};
