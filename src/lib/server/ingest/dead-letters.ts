/**
 * The dead-letter table as operators read it (/admin/dead-letters) and /metrics counts it: messages
 * refused with a reason, by the kind of fault (the `reason_kind` column of migration 0022), with
 * their bytes (a prefix of an oversized one) and their original size.
 */
import { MAX_PAYLOAD_BYTES } from '../../mqtt/contract';
import type { Sql } from '../db/client';

/** The kinds of fault `reason_kind` tells apart; `other` is a reason worded in none of their ways. */
export const DEAD_LETTER_KINDS = [
	'oversized',
	'not_json',
	'schema',
	'topic',
	'unknown_device',
	'wrong_district',
	'foreign_device',
	'not_stored',
	'other'
] as const;
export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

/**
 * How much of each payload the database keeps (migration 0023): every payload the contract admits
 * whole, and the first this many bytes of a larger one, with its size.
 */
export const KEPT_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES;
export const DEAD_LETTERS_PER_PAGE = 50;

export interface DeadLetter {
	id: number;
	receivedAt: Date;
	topic: string;
	clientId: string | null;
	reason: string;
	kind: DeadLetterKind;
	/** The bytes kept: the whole payload, or its first KEPT_PAYLOAD_BYTES when `size` is larger. */
	payload: Uint8Array;
	/** The payload's size as received. */
	size: number;
}

export interface DeadLetterFilter {
	kind?: DeadLetterKind;
	/** Part of the topic or the client id (a device id matches both). */
	text?: string;
	/** A calendar day in China Standard Time (the districts' time, as everywhere here), YYYY-MM-DD. */
	day?: string;
	page: number;
}

/** One page of dead letters, newest first, matching the filter, and how many match in all. */
export async function findDeadLetters(
	sql: Sql,
	filter: DeadLetterFilter
): Promise<{ letters: DeadLetter[]; total: number; page: number; pageCount: number }> {
	const pattern = filter.text ? `%${filter.text.replace(/[\\%_]/g, '\\$&')}%` : null;
	const where = sql`
		where (${filter.kind ?? null}::text is null or reason_kind = ${filter.kind ?? null})
			and (${pattern}::text is null or topic ilike ${pattern} or client_id ilike ${pattern})
			and (${filter.day ?? null}::date is null
				or (received_at at time zone 'Asia/Shanghai')::date = ${filter.day ?? null}::date)`;
	const [{ total }] = await sql<
		{ total: number }[]
	>`select count(*)::int as total from dead_letters ${where}`;
	const pageCount = Math.max(1, Math.ceil(total / DEAD_LETTERS_PER_PAGE));
	const page = Math.min(filter.page, pageCount);
	const rows = await sql<(Omit<DeadLetter, 'id'> & { id: string })[]>`
		select id, received_at, topic, client_id, reason, reason_kind as kind, payload, payload_size as size
		from dead_letters ${where}
		order by id desc limit ${DEAD_LETTERS_PER_PAGE} offset ${(page - 1) * DEAD_LETTERS_PER_PAGE}`;
	return { letters: rows.map((row) => ({ ...row, id: Number(row.id) })), total, page, pageCount };
}

/** How many dead letters there are of each kind (kinds with none left out). */
export async function deadLettersByKind(sql: Sql): Promise<{ kind: DeadLetterKind; count: number }[]> {
	return sql<{ kind: DeadLetterKind; count: number }[]>`
		select reason_kind as kind, count(*)::int as count from dead_letters group by reason_kind order by reason_kind`;
}
