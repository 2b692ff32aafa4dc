/**
 * One search index per district, built from the published names and rebuilt when the published
 * state changes, in this process or another: each search first compares a cheap stamp of the tables
 * (one indexed aggregate query), so several web nodes answer alike without sharing memory.
 */
import { GazetteerIndex, type SearchHit } from '../../gazetteer/search-index';
import type { Sql } from '../db/client';
import { loadReadings, publishedPlaces } from './places';

interface Held {
	index: GazetteerIndex;
	stamp: string;
}

const indexes = new Map<string, Promise<Held>>();

async function stampOf(sql: Sql, districtCode: string): Promise<string> {
	const [row] = await sql<{ stamp: string }[]>`
		select concat_ws('/', count(*), max(updated_at), max(id),
			(select max(updated_at) from place_name_readings)) as stamp
		from place_names where district_code = ${districtCode} and published_version > 0`;
	return row.stamp;
}

async function build(sql: Sql, districtCode: string, stamp: string): Promise<Held> {
	const [places, readings] = await Promise.all([publishedPlaces(sql, districtCode), loadReadings(sql)]);
	const index = new GazetteerIndex(readings);
	for (const place of places) {
		if (place.status !== 'approved') continue;
		const r = place.record;
		index.upsert({
			id: place.id,
			name: r.standardName,
			pinyin: r.pinyin,
			classCode: r.classCode,
			aliases: r.aliases,
			point: place.point,
			regionCode: r.regionCode,
			// The district and its streets before their communities.
			importance: r.classCode === '11000' && r.regionCode && r.regionCode.length <= 9 ? 100 : undefined
		});
	}
	return { index, stamp };
}

/** The district's index as of the last published change. */
export async function gazetteerIndex(sql: Sql, districtCode: string): Promise<GazetteerIndex> {
	const stamp = await stampOf(sql, districtCode);
	const held = indexes.get(districtCode);
	if (held) {
		const current = await held;
		if (stamp === current.stamp) return current.index;
	}
	const next = build(sql, districtCode, stamp);
	indexes.set(districtCode, next);
	next.catch(() => indexes.delete(districtCode));
	return (await next).index;
}

/** Forgets the district's index so the next search rebuilds it (called after an approval). */
export function invalidateGazetteerIndex(districtCode: string): void {
	indexes.delete(districtCode);
}

export async function searchPlaces(
	sql: Sql,
	districtCode: string,
	query: string,
	limit = 20
): Promise<SearchHit[]> {
	return (await gazetteerIndex(sql, districtCode)).search(query, limit);
}
