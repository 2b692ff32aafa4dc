import type { Sql } from '../db/client';

export interface DeadLetter {
	id: number;
	receivedAt: Date;
	topic: string;
	clientId: string | null;
	reason: string;
	/** The payload as text (invalid UTF-8 shown with replacement characters), cut to `previewBytes`. */
	preview: string;
	size: number;
}

/** The newest dead letters with a readable preview of each payload, and the total per reason. */
export async function recentDeadLetters(
	sql: Sql,
	limit = 100,
	previewBytes = 300
): Promise<{ letters: DeadLetter[]; total: number }> {
	const rows = await sql<(Omit<DeadLetter, 'preview' | 'id'> & { id: string; payload: Buffer })[]>`
		select id, received_at, topic, client_id, reason, substring(payload from 1 for ${previewBytes}) as payload,
			length(payload) as size
		from dead_letters order by id desc limit ${limit}`;
	const [{ total }] = await sql<{ total: number }[]>`select count(*)::int as total from dead_letters`;
	return {
		total,
		letters: rows.map(({ payload, ...row }) => ({
			...row,
			id: Number(row.id),
			preview: new TextDecoder('utf-8').decode(payload)
		}))
	};
}
