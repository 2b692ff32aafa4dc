/**
 * Standard addresses in the database: import (with a dry run), listing, lookup by code, export.
 * An address's code is made once, from the address sequence, when the address is first imported;
 * importing the same external id again updates the address and keeps its code.
 */
import { encodeAddressCode } from '../../addresses/address-code';
import type { StandardAddress } from '../../addresses/address';
import { readAddressRows, type AddressRow } from '../../addresses/address-rows';
import { addressPinyin, standardAddressName } from '../../addresses/standard-name';
import { placeNamePinyin } from '../../gazetteer/pinyin';
import type { ImportFormat, RowImportResult } from '../../geo/tabular-rows';
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';

type AddressDbRow = Omit<StandardAddress, 'id' | 'placeNameId' | 'position'> & {
	id: string;
	placeNameId: string | null;
	lon: number;
	lat: number;
};

const toAddress = (row: AddressDbRow): StandardAddress => ({
	id: Number(row.id),
	code: row.code,
	externalId: row.externalId,
	roadName: row.roadName,
	placeNameId: row.placeNameId === null ? null : Number(row.placeNameId),
	houseNumber: row.houseNumber,
	building: row.building,
	unit: row.unit,
	standardName: row.standardName,
	roadPinyin: row.roadPinyin,
	pinyin: row.pinyin,
	pinyinSource: row.pinyinSource,
	regionCode: row.regionCode,
	position: [row.lon, row.lat],
	status: row.status
});

/**
 * Reads a file of addresses, checks each good row against the database (the place name exists, the
 * point lies in the district) and, unless it is a dry run, saves them all in one transaction.
 * Bad rows are reported by row and never stop the good ones.
 */
export async function importAddresses(
	sql: Sql,
	input: { districtCode: string; format: ImportFormat; text: string; dryRun: boolean; actor: string }
): Promise<RowImportResult> {
	const read = readAddressRows(input.format, input.text);
	const rejected = [...read.rejected];
	const good: PlacedRow[] = [];
	const placeIds = [...new Set(read.accepted.flatMap((row) => (row.placeNameId ? [row.placeNameId] : [])))];
	const knownPlaces = new Map(
		placeIds.length === 0
			? []
			: (
					await sql<{ id: string; pinyin: string }[]>`
						select id, pinyin from place_names where id = any(${placeIds}::bigint[])`
				).map((row) => [Number(row.id), row.pinyin])
	);
	// A road the file does not link is linked to the district's approved place name of that name,
	// when there is exactly one: its reviewed pinyin then spells the address.
	const roadNames = [...new Set(read.accepted.filter((row) => !row.placeNameId).map((row) => row.roadName))];
	const roads = new Map<string, { id: number; pinyin: string } | null>();
	if (roadNames.length > 0) {
		const rows = await sql<{ id: string; standardName: string; pinyin: string }[]>`
			select id, standard_name, pinyin from place_names
			where district_code = ${input.districtCode} and status = 'approved'
				and standard_name = any(${roadNames}::text[])`;
		for (const row of rows)
			roads.set(
				row.standardName,
				roads.has(row.standardName) ? null : { id: Number(row.id), pinyin: row.pinyin }
			);
	}
	const inside = new Set(
		read.accepted.length === 0
			? []
			: (
					await sql<{ row: number }[]>`
						select p.row from regions r,
							unnest(${read.accepted.map((row) => row.row)}::int[],
								${read.accepted.map((row) => row.position[0])}::float8[],
								${read.accepted.map((row) => row.position[1])}::float8[]) as p(row, lon, lat)
						where r.code = ${input.districtCode}
							and st_covers(r.geom, st_setsrid(st_makepoint(p.lon, p.lat), 4326))`
				).map((row) => row.row)
	);
	for (const row of read.accepted) {
		const problems: string[] = [];
		if (row.placeNameId && !knownPlaces.has(row.placeNameId))
			problems.push(`place_name_id ${row.placeNameId} is not in the gazetteer`);
		if (!inside.has(row.row)) problems.push(`position ${row.position.join(', ')} is outside the district`);
		if (problems.length > 0) {
			rejected.push({ row: row.row, reason: problems.join('; ') });
			continue;
		}
		const road = row.placeNameId ? null : roads.get(row.roadName);
		good.push({
			...row,
			placeNameId: row.placeNameId ?? road?.id ?? null,
			gazetteerPinyin: (row.placeNameId ? knownPlaces.get(row.placeNameId) : road?.pinyin) || null
		});
	}
	rejected.sort((a, b) => a.row - b.row);

	const [{ existing }] = await sql<{ existing: number }[]>`
		select count(*)::int as existing from addresses
		where district_code = ${input.districtCode} and external_id = any(${good.map((row) => row.externalId)}::text[])`;
	const result: RowImportResult = {
		dryRun: input.dryRun,
		format: input.format,
		accepted: good.length,
		created: good.length - existing,
		updated: existing,
		rejected
	};
	if (input.dryRun || good.length === 0) return result;

	await sql.begin(async (tx) => {
		for (const row of good) await saveAddress(tx as unknown as Sql, input.districtCode, row);
		await recordAudit(tx as unknown as Sql, {
			actor: input.actor,
			action: 'address.import',
			subjectType: 'import',
			subjectId: `addresses:${input.format}`,
			districtCode: input.districtCode,
			detail: {
				accepted: result.accepted,
				created: result.created,
				updated: result.updated,
				rejected: rejected.length
			}
		});
	});
	return result;
}

/** A row ready to save: linked to its road's place name where one was found, with that name's pinyin. */
type PlacedRow = AddressRow & { gazetteerPinyin: string | null };

async function saveAddress(sql: Sql, districtCode: string, row: PlacedRow): Promise<void> {
	// The file's own spelling first, then the gazetteer's reviewed one, then the pinyin rules.
	const roadPinyin = row.roadPinyin ?? row.gazetteerPinyin ?? placeNamePinyin(row.roadName);
	const parts = {
		roadName: row.roadName,
		houseNumber: row.houseNumber,
		building: row.building,
		unit: row.unit
	};
	// An existing address keeps its code (the conflict branch below never touches it); only a new
	// one draws a serial, so a serial, once drawn, names one address for good.
	const [existing]: { code: string }[] = await sql`
		select code from addresses where district_code = ${districtCode} and external_id = ${row.externalId}`;
	let code = existing?.code;
	if (!code) {
		const [{ serial }]: { serial: string }[] = await sql`select nextval('address_code_seq') as serial`;
		code = encodeAddressCode(districtCode, Number(serial));
	}
	await sql`
		insert into addresses (district_code, code, external_id, road_name, place_name_id, house_number,
			building, unit, standard_name, road_pinyin, pinyin, pinyin_source, region_code, geom)
		values (${districtCode}, ${code}, ${row.externalId}, ${row.roadName}, ${row.placeNameId},
			${row.houseNumber}, ${row.building}, ${row.unit}, ${standardAddressName(parts)}, ${roadPinyin},
			${addressPinyin(roadPinyin, parts)}, ${row.roadPinyin ? 'imported' : 'computed'},
			(select code from regions where level = 'community' and starts_with(code, ${districtCode})
				and st_covers(geom, st_setsrid(st_makepoint(${row.position[0]}, ${row.position[1]}), 4326))
				order by code limit 1),
			st_setsrid(st_makepoint(${row.position[0]}, ${row.position[1]}), 4326))
		on conflict (district_code, external_id) do update set
			road_name = excluded.road_name, place_name_id = excluded.place_name_id,
			house_number = excluded.house_number, building = excluded.building, unit = excluded.unit,
			standard_name = excluded.standard_name, road_pinyin = excluded.road_pinyin,
			pinyin = excluded.pinyin, pinyin_source = excluded.pinyin_source,
			region_code = excluded.region_code, geom = excluded.geom, status = 'active', updated_at = now()`;
}

const SELECT_ADDRESS = (sql: Sql) => sql`
	id, code, external_id, road_name, place_name_id, house_number, building, unit, standard_name,
	road_pinyin, pinyin, pinyin_source, region_code, st_x(geom) as lon, st_y(geom) as lat, status`;

/** The district's addresses by road and number, optionally those whose name or code contains `q`. */
export async function listAddresses(
	sql: Sql,
	districtCode: string,
	options: { q?: string; limit?: number; offset?: number } = {}
): Promise<{ addresses: StandardAddress[]; total: number }> {
	const pattern = options.q ? `%${options.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
	const rows = await sql<(AddressDbRow & { total: number })[]>`
		select ${SELECT_ADDRESS(sql)}, count(*) over ()::int as total from addresses
		where district_code = ${districtCode}
			and (${pattern}::text is null or standard_name ilike ${pattern} or code ilike ${pattern}
				or pinyin ilike ${pattern})
		-- 2号 before 12号: by the number's leading digits, then as text (12-1, 12A).
		order by road_name, substring(house_number from '^[0-9]{1,9}')::int nulls last, house_number,
			building nulls first, unit nulls first, id
		limit ${options.limit ?? 100} offset ${options.offset ?? 0}`;
	return { addresses: rows.map(toAddress), total: rows[0]?.total ?? 0 };
}

/** Addresses of the district with these ids, in the order given (for a door-plate sheet). */
export async function addressesByIds(
	sql: Sql,
	districtCode: string,
	ids: number[]
): Promise<StandardAddress[]> {
	if (ids.length === 0) return [];
	const rows = await sql<AddressDbRow[]>`
		select ${SELECT_ADDRESS(sql)} from addresses
		where district_code = ${districtCode} and id = any(${ids}::bigint[])`;
	const byId = new Map(rows.map((row) => [Number(row.id), toAddress(row)]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function findAddressByCode(sql: Sql, code: string): Promise<StandardAddress | null> {
	const [row]: AddressDbRow[] = await sql`select ${SELECT_ADDRESS(sql)} from addresses where code = ${code}`;
	return row ? toAddress(row) : null;
}

/** Every address of the district, for export. */
export async function allAddresses(sql: Sql, districtCode: string): Promise<StandardAddress[]> {
	const rows = await sql<AddressDbRow[]>`
		select ${SELECT_ADDRESS(sql)} from addresses where district_code = ${districtCode} order by code`;
	return rows.map(toAddress);
}
