/**
 * The reviewed dictionary of place-name readings (place_name_readings), editable by reviewers: a
 * word and its toned syllables, one per character, overriding the pinyin library.
 */
import { z } from 'zod';
import type { PlaceReading } from '../../gazetteer/pinyin';
import type { Sql } from '../db/client';
import type { GazetteerActor } from './actor';
import { GazetteerError } from './places';

export const readingSchema = z.object({
	word: z.string().regex(/^\p{Script=Han}{1,20}$/u, 'Chinese characters only'),
	reading: z
		.string()
		.regex(
			/^[a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜü]+( [a-zāáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜü]+)*$/,
			'toned syllables, space-separated'
		),
	note: z.string().max(500).nullable().optional()
});

export interface ReadingRow extends PlaceReading {
	updatedBy: string;
	updatedAt: Date;
}

export function listReadings(sql: Sql): Promise<ReadingRow[]> {
	return sql<
		ReadingRow[]
	>`select word, reading, note, updated_by, updated_at from place_name_readings order by word`;
}

/** Adds or corrects a reading; one syllable per character. Reviewers only. */
export async function saveReading(
	sql: Sql,
	input: z.infer<typeof readingSchema>,
	actor: GazetteerActor
): Promise<void> {
	if (actor.role !== 'reviewer')
		throw new GazetteerError('FORBIDDEN', 'only a reviewer may edit the readings');
	const parsed = readingSchema.safeParse(input);
	if (!parsed.success)
		throw new GazetteerError(
			'INVALID',
			`${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`
		);
	const { word, reading, note } = parsed.data;
	if (reading.split(' ').length !== [...word].length)
		throw new GazetteerError('INVALID', `reading: ${[...word].length} syllables expected, one per character`);
	await sql`
		insert into place_name_readings (word, reading, note, updated_by, updated_at)
		values (${word}, ${reading}, ${note ?? null}, ${actor.name}, now())
		on conflict (word) do update set reading = excluded.reading, note = excluded.note,
			updated_by = excluded.updated_by, updated_at = now()`;
}
