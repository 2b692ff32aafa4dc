/**
 * One search index per district, built from the published names and kept current when the
 * published state changes, in this process or another: each search first compares a cheap stamp of
 * the tables (one indexed aggregate query), so several web nodes answer alike without sharing
 * memory. A change (an approval, a retirement) re-indexes only the names whose row changed; a change
 * of the reviewed readings, which can alter any name's pinyin, rebuilds the whole index.
 */
import { GazetteerIndex, type SearchHit } from '../../gazetteer/search-index';
import type { Sql } from '../db/client';
import { loadReadings, publishedPlaces, type PlaceSummary } from './places';

interface Stamp {
	places: string;
	readings: string;
}

interface Held {
	index: GazetteerIndex;
	stamp: Stamp;
	/** Each indexed name's row version (its updated_at), to find the rows that changed. */
	rowVersions: Map<number, string>;
}

/** Beyond this share of changed names a rebuild is cheaper than re-indexing them one by one. */
const REBUILD_SHARE = 0.5;

const indexes = new Map<string, Promise<Held>>();

async function stampOf(sql: Sql, districtCode: string): Promise<Stamp> {
	const [row] = await sql<Stamp[]>`
		select concat_ws('/', count(*), max(updated_at), max(id)) as places,
			coalesce((select max(updated_at)::text from place_name_readings), '') as readings
		from place_names where district_code = ${districtCode} and published_version > 0`;
	return row;
}

function indexPlace(index: GazetteerIndex, place: PlaceSummary): void {
	if (place.status !== 'approved') {
		index.remove(place.id);
		return;
	}
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

const rowVersion = (updatedAt: Date | string) => new Date(updatedAt).toISOString();

async function build(sql: Sql, districtCode: string, stamp: Stamp): Promise<Held> {
	const [places, readings] = await Promise.all([publishedPlaces(sql, districtCode), loadReadings(sql)]);
	const index = new GazetteerIndex(readings);
	for (const place of places) indexPlace(index, place);
	return { index, stamp, rowVersions: new Map(places.map((p) => [p.id, rowVersion(p.updatedAt)])) };
}

/** Re-indexes the names whose rows changed since `held` was made, in place. */
async function update(sql: Sql, districtCode: string, held: Held, stamp: Stamp): Promise<Held> {
	if (stamp.readings !== held.stamp.readings) return build(sql, districtCode, stamp);
	const rows = await sql<{ id: string; updatedAt: Date }[]>`
		select id, updated_at from place_names where district_code = ${districtCode} and published_version > 0`;
	const changed = rows
		.filter((row) => held.rowVersions.get(Number(row.id)) !== rowVersion(row.updatedAt))
		.map((row) => Number(row.id));
	if (changed.length > REBUILD_SHARE * rows.length) return build(sql, districtCode, stamp);
	for (const place of await publishedPlaces(sql, districtCode, changed)) {
		indexPlace(held.index, place);
		held.rowVersions.set(place.id, rowVersion(place.updatedAt));
	}
	return { ...held, stamp };
}

/** The district's index as of the last published change. */
export async function gazetteerIndex(sql: Sql, districtCode: string): Promise<GazetteerIndex> {
	const stamp = await stampOf(sql, districtCode);
	const held = indexes.get(districtCode);
	const current = await held?.catch(() => undefined);
	if (current && stamp.places === current.stamp.places && stamp.readings === current.stamp.readings)
		return current.index;
	// Whoever sees the change first updates; the others wait for the same answer.
	if (held && indexes.get(districtCode) !== held) return gazetteerIndex(sql, districtCode);
	const next = current ? update(sql, districtCode, current, stamp) : build(sql, districtCode, stamp);
	indexes.set(districtCode, next);
	next.catch(() => indexes.delete(districtCode));
	return (await next).index;
}

export async function searchPlaces(
	sql: Sql,
	districtCode: string,
	query: string,
	limit = 20
): Promise<SearchHit[]> {
	return (await gazetteerIndex(sql, districtCode)).search(query, limit);
}
