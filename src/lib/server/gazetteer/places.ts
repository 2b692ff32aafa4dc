/**
 * Place names in the database: the published state (place_names + place_name_aliases), proposals
 * (every change a new pending row of place_name_versions with its diff), and reviews that check the
 * approval rules, publish, and write the audit log in the same transaction. Nothing is deleted: a
 * name is retired or superseded; a rename keeps the old name as a former name.
 *
 * Called by the gazetteer API routes and pages, the seed and the import.
 */
import type { Geometry } from 'geojson';
import { placeNamePinyin, readingsMap, splitName, type Readings } from '../../gazetteer/pinyin';
import {
	diffRecords,
	type PlaceAlias,
	type PlaceRecord,
	type PlaceRecordInput,
	type RecordDiff
} from '../../gazetteer/record';
import { checkApprovalRules, type RuleViolation } from '../../gazetteer/rules';
import type { PlaceStatus } from '../../gazetteer/classes';
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';
import type { GazetteerActor } from './actor';

export type GazetteerErrorCode =
	'NOT_FOUND' | 'FORBIDDEN' | 'OWN_CHANGE' | 'NOT_PENDING' | 'RULES' | 'INVALID';

/** An expected refusal: a stable code, a human message, and the broken rules when there are some. */
export class GazetteerError extends Error {
	constructor(
		readonly code: GazetteerErrorCode,
		message: string,
		readonly violations: RuleViolation[] = []
	) {
		super(message);
	}
}

export interface PlaceSummary {
	id: number;
	districtCode: string;
	status: PlaceStatus;
	publishedVersion: number;
	record: PlaceRecord;
	/** A representative point (label), WGS-84. */
	point: [number, number] | null;
	updatedAt: Date;
}

export interface PlaceVersion {
	id: number;
	placeNameId: number;
	version: number;
	kind: 'create' | 'update' | 'seed' | 'import';
	record: PlaceRecord;
	diff: RecordDiff;
	actor: string;
	reason: string;
	createdAt: Date;
	reviewState: 'pending' | 'approved' | 'rejected';
	reviewer: string | null;
	reviewedAt: Date | null;
	reviewNote: string | null;
}

export async function loadReadings(sql: Sql): Promise<Readings> {
	const rows = await sql<{ word: string; reading: string }[]>`select word, reading from place_name_readings`;
	return readingsMap(rows);
}

interface PlaceRow {
	id: string;
	districtCode: string;
	standardName: string;
	specificPart: string;
	genericPart: string;
	pinyin: string;
	classCode: string;
	geometry: Geometry | null;
	geomPrecision: PlaceRecord['geomPrecision'];
	regionCode: string | null;
	originNote: string | null;
	status: PlaceStatus;
	protected: boolean;
	successorId: string | null;
	publishedVersion: number;
	point: [number, number] | null;
	aliases: PlaceAlias[];
	updatedAt: Date;
}

function toSummary(row: PlaceRow): PlaceSummary {
	return {
		id: Number(row.id),
		districtCode: row.districtCode,
		status: row.status,
		publishedVersion: row.publishedVersion,
		point: row.point,
		updatedAt: row.updatedAt,
		record: {
			standardName: row.standardName,
			specificPart: row.specificPart,
			genericPart: row.genericPart,
			pinyin: row.pinyin,
			classCode: row.classCode,
			geometry: row.geometry,
			geomPrecision: row.geomPrecision,
			regionCode: row.regionCode,
			originNote: row.originNote,
			status: row.status === 'retired' ? 'retired' : 'approved',
			protected: row.protected,
			successorId: row.successorId === null ? null : Number(row.successorId),
			aliases: row.aliases
		}
	};
}

/** Published (approved or retired) names, or one name whatever its state, with aliases. */
async function selectPlaces(
	sql: Sql,
	filter: { districtCode: string; id?: number; ids?: number[]; published?: boolean }
): Promise<PlaceSummary[]> {
	const rows = await sql<PlaceRow[]>`
		select p.id, p.district_code, p.standard_name, p.specific_part, p.generic_part, p.pinyin, p.class_code,
			st_asgeojson(p.geom, 6)::json as geometry, p.geom_precision, p.region_code, p.origin_note, p.status,
			p.protected, p.successor_id, p.published_version, p.updated_at,
			case when p.geom is null then null else json_build_array(
				round(st_x(st_pointonsurface(p.geom))::numeric, 6), round(st_y(st_pointonsurface(p.geom))::numeric, 6))
			end as point,
			coalesce((select json_agg(json_build_object('name', a.name, 'kind', a.kind, 'fromYear', a.from_year,
				'toYear', a.to_year, 'protected', a.protected) order by a.id)
				from place_name_aliases a where a.place_name_id = p.id), '[]'::json) as aliases
		from place_names p
		where p.district_code = ${filter.districtCode}
			and (${filter.id ?? null}::bigint is null or p.id = ${filter.id ?? null})
			and (${filter.ids === undefined} or p.id = any(${filter.ids ?? []}::bigint[]))
			and (not ${filter.published ?? false} or p.published_version > 0)
		order by p.id`;
	return rows.map(toSummary);
}

/** The district's published names, or only those of `ids`. */
export function publishedPlaces(sql: Sql, districtCode: string, ids?: number[]): Promise<PlaceSummary[]> {
	return selectPlaces(sql, { districtCode, published: true, ids });
}

export async function findPlace(
	sql: Sql,
	districtCode: string,
	id: number
): Promise<PlaceSummary | undefined> {
	const [place] = await selectPlaces(sql, { districtCode, id });
	return place;
}

export async function placeVersions(sql: Sql, placeNameId: number): Promise<PlaceVersion[]> {
	const rows = await sql<(PlaceVersion & { id: string; placeNameId: string })[]>`
		select id, place_name_id, version, kind, record, diff, actor, reason, created_at, review_state, reviewer,
			reviewed_at, review_note
		from place_name_versions where place_name_id = ${placeNameId} order by version desc`;
	return rows.map((row) => ({ ...row, id: Number(row.id), placeNameId: Number(row.placeNameId) }));
}

/**
 * Fills in what a proposal left out: the split into specific and generic parts, the pinyin (from the
 * reviewed readings), the region the geometry lies in, and the defaults.
 */
export async function completeRecord(
	sql: Sql,
	districtCode: string,
	input: PlaceRecordInput,
	base: PlaceRecord | null,
	readings?: Readings
): Promise<PlaceRecord> {
	const standardName = input.standardName.trim();
	const split =
		input.specificPart !== undefined && input.genericPart !== undefined
			? { specific: input.specificPart.trim(), generic: input.genericPart.trim() }
			: splitName(standardName, input.classCode);
	const words = readings ?? (await loadReadings(sql));
	const pinyin =
		input.pinyin?.trim() ||
		placeNamePinyin(standardName, {
			classCode: input.classCode,
			readings: words,
			parts: { specific: split.specific, generic: split.generic }
		});
	const geometry = input.geometry === undefined ? (base?.geometry ?? null) : input.geometry;
	let regionCode = input.regionCode === undefined ? (base?.regionCode ?? null) : input.regionCode;
	if (
		input.regionCode === undefined &&
		geometry &&
		JSON.stringify(geometry) !== JSON.stringify(base?.geometry)
	)
		regionCode = await regionOf(sql, districtCode, geometry);
	return {
		standardName,
		specificPart: split.specific,
		genericPart: split.generic,
		pinyin,
		classCode: input.classCode,
		geometry,
		geomPrecision: input.geomPrecision ?? base?.geomPrecision ?? 'surveyed',
		regionCode,
		originNote: input.originNote === undefined ? (base?.originNote ?? null) : input.originNote,
		status: input.status ?? 'approved',
		protected: input.protected ?? base?.protected ?? false,
		successorId: input.successorId === undefined ? (base?.successorId ?? null) : input.successorId,
		aliases: (input.aliases ?? base?.aliases ?? []).map((a) => ({
			name: a.name.trim(),
			kind: a.kind,
			fromYear: a.fromYear ?? null,
			toYear: a.toYear ?? null,
			protected: a.protected ?? false
		}))
	};
}

/** The smallest region of the district (community, then street, then district) holding the geometry. */
async function regionOf(sql: Sql, districtCode: string, geometry: Geometry): Promise<string | null> {
	const [row] = await sql<{ code: string }[]>`
		select code from regions
		where starts_with(code, ${districtCode})
			and st_covers(geom, st_pointonsurface(st_setsrid(st_geomfromgeojson(${JSON.stringify(geometry)}), 4326)))
		order by length(code) desc limit 1`;
	return row?.code ?? null;
}

function requireRole(actor: GazetteerActor, roles: GazetteerActor['role'][]): void {
	if (!roles.includes(actor.role))
		throw new GazetteerError('FORBIDDEN', `${actor.role} may not do this; it needs ${roles.join(' or ')}`);
}

/** A new place name, waiting for review (status under_review) with its first version pending. */
export async function proposeNewPlace(
	sql: Sql,
	districtCode: string,
	input: PlaceRecordInput,
	actor: GazetteerActor,
	reason: string,
	kind: 'create' | 'import' = 'create'
): Promise<{ id: number; versionId: number }> {
	requireRole(actor, ['editor', 'reviewer']);
	const record = await completeRecord(sql, districtCode, input, null);
	return sql.begin((tx) => insertProposal(tx as unknown as Sql, districtCode, record, actor, reason, kind));
}

/**
 * Writes a new name under review and its first, pending version; the caller holds the transaction
 * (one per proposal, or one for a whole import).
 */
export async function insertProposal(
	tx: Sql,
	districtCode: string,
	record: PlaceRecord,
	actor: GazetteerActor,
	reason: string,
	kind: 'create' | 'import'
): Promise<{ id: number; versionId: number }> {
	const [place] = await tx<{ id: string }[]>`
		insert into place_names (district_code, standard_name, specific_part, generic_part, pinyin, class_code,
			geom, geom_precision, region_code, origin_note, status, protected)
		values (${districtCode}, ${record.standardName}, ${record.specificPart}, ${record.genericPart},
			${record.pinyin}, ${record.classCode}, st_setsrid(st_geomfromgeojson(${geomParam(record.geometry)}::text), 4326),
			${record.geomPrecision}, ${record.regionCode}, ${record.originNote}, 'under_review', ${record.protected})
		returning id`;
	const [version] = await tx<{ id: string }[]>`
		insert into place_name_versions (place_name_id, version, kind, record, diff, actor, reason)
		values (${place.id}, 1, ${kind}, ${tx.json(record as never)}, ${tx.json(diffRecords(null, record) as never)},
			${actor.name}, ${reason})
		returning id`;
	return { id: Number(place.id), versionId: Number(version.id) };
}

/** The geometry as GeoJSON text for `st_geomfromgeojson`, or null. */
function geomParam(geometry: Geometry | null): string | null {
	return geometry ? JSON.stringify(geometry) : null;
}

/**
 * A change to an existing name, pending until a reviewer approves it. A rename keeps the old
 * standard name as a former name (to this year) unless the proposal already lists it.
 */
export async function proposeChange(
	sql: Sql,
	districtCode: string,
	id: number,
	input: PlaceRecordInput,
	actor: GazetteerActor,
	reason: string
): Promise<{ id: number; versionId: number; version: number }> {
	requireRole(actor, ['editor', 'reviewer']);
	if (!reason.trim()) throw new GazetteerError('INVALID', 'reason: a change needs a reason');
	const place = await findPlace(sql, districtCode, id);
	if (!place) throw new GazetteerError('NOT_FOUND', `place name ${id} is not in district ${districtCode}`);
	const record = await completeRecord(sql, districtCode, input, place.record);
	const oldName = place.record.standardName;
	if (
		place.publishedVersion > 0 &&
		record.standardName !== oldName &&
		!record.aliases.some((a) => a.name === oldName)
	)
		record.aliases.push({
			name: oldName,
			kind: 'former',
			fromYear: null,
			toYear: new Date().getFullYear(),
			protected: false
		});
	const diff = diffRecords(place.publishedVersion > 0 ? place.record : null, record);
	return sql.begin(async (tx) => {
		// Serialises version numbers of one place.
		await tx`select id from place_names where id = ${id} for update`;
		const [{ next }] = await tx<{ next: number }[]>`
			select coalesce(max(version), 0) + 1 as next from place_name_versions where place_name_id = ${id}`;
		const [version] = await tx<{ id: string }[]>`
			insert into place_name_versions (place_name_id, version, kind, record, diff, actor, reason)
			values (${id}, ${next}, ${place.publishedVersion > 0 ? 'update' : 'create'}, ${tx.json(record as never)},
				${tx.json(diff as never)}, ${actor.name}, ${reason.trim()})
			returning id`;
		return { id, versionId: Number(version.id), version: next };
	});
}

export interface PendingChange {
	version: PlaceVersion;
	place: PlaceSummary;
	violations: RuleViolation[];
}

/** Every change waiting for review in the district, oldest first, with the rules it breaks. */
export async function pendingChanges(sql: Sql, districtCode: string): Promise<PendingChange[]> {
	const rows = await sql<{ id: string }[]>`
		select v.id from place_name_versions v join place_names p on p.id = v.place_name_id
		where p.district_code = ${districtCode} and v.review_state = 'pending'
		order by v.created_at, v.id`;
	const out: PendingChange[] = [];
	for (const row of rows) out.push(await pendingChange(sql, districtCode, Number(row.id)));
	return out;
}

export async function pendingChange(
	sql: Sql,
	districtCode: string,
	versionId: number
): Promise<PendingChange> {
	const [row] = await sql<(PlaceVersion & { id: string; placeNameId: string })[]>`
		select v.id, v.place_name_id, v.version, v.kind, v.record, v.diff, v.actor, v.reason, v.created_at,
			v.review_state, v.reviewer, v.reviewed_at, v.review_note
		from place_name_versions v join place_names p on p.id = v.place_name_id
		where v.id = ${versionId} and p.district_code = ${districtCode}`;
	if (!row) throw new GazetteerError('NOT_FOUND', `change ${versionId} is not in district ${districtCode}`);
	const version = { ...row, id: Number(row.id), placeNameId: Number(row.placeNameId) };
	const place = (await findPlace(sql, districtCode, version.placeNameId))!;
	return {
		version,
		place,
		violations: await ruleViolations(sql, districtCode, version.placeNameId, version.record)
	};
}

/** The approval rules for a record, with its street's names and the district's outline from the database. */
export async function ruleViolations(
	sql: Sql,
	districtCode: string,
	id: number | undefined,
	record: PlaceRecord
): Promise<RuleViolation[]> {
	const street = record.regionCode && record.regionCode.length >= 9 ? record.regionCode.slice(0, 9) : '';
	const sameStreet = await sql<{ id: string; standardName: string; classCode: string }[]>`
		select id, standard_name, class_code from place_names
		where district_code = ${districtCode} and standard_name = ${record.standardName.trim()}
			and class_code = ${record.classCode} and status in ('approved', 'under_review')
			and coalesce(left(region_code, 9), '') = ${street}
			and (length(coalesce(region_code, '')) >= 9) = ${street !== ''}`;
	const [streetRow] = street
		? await sql<{ name: string }[]>`select name from regions where code = ${street}`
		: [];
	let insideDistrict: boolean | null = null;
	if (record.geometry) {
		const [inside] = await sql<{ inside: boolean }[]>`
			select coalesce(bool_and(st_coveredby(
				st_makevalid(st_setsrid(st_geomfromgeojson(${JSON.stringify(record.geometry)}), 4326)),
				-- Repaired (the shipped outline self-touches) and ~10 m wider, so a street's own outline,
				-- drawn from the same points, counts as inside.
				st_buffer(st_makevalid(geom), 0.0001))), false) as inside
			from regions where code = ${districtCode}`;
		insideDistrict = inside.inside;
	}
	const [district] = await sql<{ name: string }[]>`select name from regions where code = ${districtCode}`;
	return checkApprovalRules(
		{
			id,
			standardName: record.standardName,
			pinyin: record.pinyin,
			classCode: record.classCode,
			aliases: record.aliases
		},
		{
			sameStreet: sameStreet.map((s) => ({ ...s, id: Number(s.id) })),
			insideDistrict,
			streetName: streetRow?.name ?? district?.name ?? districtCode
		}
	);
}

/**
 * Approves or rejects a pending change. Approval needs a reviewer who did not submit it and a record
 * that passes every rule; it publishes the record and records the approval in the audit log.
 */
export async function reviewChange(
	sql: Sql,
	districtCode: string,
	versionId: number,
	reviewer: GazetteerActor,
	decision: 'approve' | 'reject',
	note = ''
): Promise<PendingChange> {
	requireRole(reviewer, ['reviewer']);
	const change = await pendingChange(sql, districtCode, versionId);
	const { version } = change;
	if (version.reviewState !== 'pending')
		throw new GazetteerError('NOT_PENDING', `change ${versionId} was already ${version.reviewState}`);
	if (version.actor === reviewer.name)
		throw new GazetteerError(
			'OWN_CHANGE',
			`${reviewer.name} submitted change ${versionId} and cannot review it`
		);
	if (decision === 'approve' && change.violations.length)
		throw new GazetteerError('RULES', change.violations.map((v) => v.message).join('; '), change.violations);
	await sql.begin(async (tx) => {
		const [locked] = await tx<{ reviewState: string }[]>`
			select review_state from place_name_versions where id = ${versionId} for update`;
		if (locked.reviewState !== 'pending')
			throw new GazetteerError('NOT_PENDING', `change ${versionId} was already ${locked.reviewState}`);
		await tx`
			update place_name_versions set review_state = ${decision === 'approve' ? 'approved' : 'rejected'},
				reviewer = ${reviewer.name}, reviewed_at = now(), review_note = ${note || null}
			where id = ${versionId}`;
		if (decision === 'approve')
			await publish(tx as unknown as Sql, version.placeNameId, version.version, version.record);
		else
			await tx`
				update place_names set status = 'proposed', updated_at = now()
				where id = ${version.placeNameId} and published_version = 0
					and not exists (select 1 from place_name_versions
						where place_name_id = ${version.placeNameId} and review_state = 'pending')`;
		await recordAudit(tx as unknown as Sql, {
			actor: reviewer.name,
			action: decision === 'approve' ? 'place_name.approve' : 'place_name.reject',
			subjectType: 'place_name',
			subjectId: version.placeNameId,
			districtCode,
			detail: {
				versionId,
				version: version.version,
				submittedBy: version.actor,
				fields: Object.keys(version.diff),
				note: note || null
			}
		});
	});
	return pendingChange(sql, districtCode, versionId);
}

/** Copies an approved record into the published state. */
async function publish(sql: Sql, id: number, version: number, record: PlaceRecord): Promise<void> {
	await sql`
		update place_names set standard_name = ${record.standardName}, specific_part = ${record.specificPart},
			generic_part = ${record.genericPart}, pinyin = ${record.pinyin}, class_code = ${record.classCode},
			geom = st_setsrid(st_geomfromgeojson(${geomParam(record.geometry)}::text), 4326), geom_precision = ${record.geomPrecision},
			region_code = ${record.regionCode}, origin_note = ${record.originNote}, status = ${record.status},
			protected = ${record.protected}, successor_id = ${record.successorId},
			published_version = ${version}, updated_at = now()
		where id = ${id}`;
	// The aliases are a projection of the published version; every earlier list stays in its version.
	await sql`delete from place_name_aliases where place_name_id = ${id}`;
	for (const alias of record.aliases)
		await sql`
			insert into place_name_aliases (place_name_id, name, kind, from_year, to_year, protected)
			values (${id}, ${alias.name}, ${alias.kind}, ${alias.fromYear ?? null}, ${alias.toYear ?? null},
				${alias.protected ?? false})`;
}

/** Loads an approved name directly (the seed): version 1, approved by the loader itself. */
export async function insertApproved(
	sql: Sql,
	districtCode: string,
	record: PlaceRecord,
	sourceKey: string,
	actor: string
): Promise<number | null> {
	const [place] = await sql<{ id: string }[]>`
		insert into place_names (district_code, standard_name, class_code, status, source_key)
		values (${districtCode}, ${record.standardName}, ${record.classCode}, 'under_review', ${sourceKey})
		on conflict (source_key) do nothing
		returning id`;
	if (!place) return null;
	const id = Number(place.id);
	await sql`
		insert into place_name_versions (place_name_id, version, kind, record, diff, actor, reason, review_state,
			reviewer, reviewed_at)
		values (${id}, 1, 'seed', ${sql.json(record as never)}, ${sql.json(diffRecords(null, record) as never)},
			${actor}, 'initial load of the shipped district data', 'approved', ${actor}, now())`;
	await publish(sql, id, 1, record);
	return id;
}

export interface NearbyName {
	id: number;
	standardName: string;
	pinyin: string;
	classCode: string;
	distanceM: number;
}

/** Reverse lookup: published names whose geometry lies within `radiusM` of the point, nearest first. */
export async function namesNear(
	sql: Sql,
	districtCode: string,
	lon: number,
	lat: number,
	radiusM = 300,
	limit = 12
): Promise<NearbyName[]> {
	const rows = await sql<(NearbyName & { id: string })[]>`
		with here as (select st_setsrid(st_makepoint(${lon}, ${lat}), 4326) as g)
		select p.id, p.standard_name, p.pinyin, p.class_code,
			round(st_distance(p.geom::geography, here.g::geography)::numeric, 0)::float8 as distance_m
		from place_names p, here
		where p.district_code = ${districtCode} and p.status = 'approved' and p.published_version > 0
			and st_dwithin(p.geom::geography, here.g::geography, ${radiusM})
		order by distance_m, p.class_code <> '11000', length(p.standard_name) limit ${limit}`;
	return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
