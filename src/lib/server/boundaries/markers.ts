/**
 * Boundary markers (界桩) in the database: import with a dry run, listing for the map and export,
 * one marker with its photos, and photo upload. Photos are kept in the database (see migration 0015):
 * JPEG, PNG or WebP, at most 2 MiB, checked by their first bytes as well as the declared type.
 */
import type { ImportFormat, RowImportResult } from '../../geo/tabular-rows';
import { readMarkerRows, type BoundaryMarker, type MarkerRow } from '../../boundaries/marker';
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';
import { BoundaryError } from './boundary-error';

type LinedMarkerRow = MarkerRow & { lineId: number };

/**
 * A marker stands on its boundary line; one recorded farther than this from the line it names has
 * the wrong line code or wrong (often swapped) coordinates. Generous, since the lines are modelled.
 */
export const MARKER_MAX_OFF_LINE_M = 200;

/** The rows whose position is near their line; the others are added to `rejected` with the distance. */
async function standingOnTheirLines(
	sql: Sql,
	rows: LinedMarkerRow[],
	rejected: RowImportResult['rejected']
): Promise<LinedMarkerRow[]> {
	if (rows.length === 0) return rows;
	const distances = await sql<{ ord: string; metres: number }[]>`
		select m.ord, st_distance(l.geom::geography, st_setsrid(st_makepoint(m.lon, m.lat), 4326)::geography) as metres
		from unnest(${rows.map((r) => r.position[0])}::float8[], ${rows.map((r) => r.position[1])}::float8[],
			${rows.map((r) => r.lineId)}::bigint[]) with ordinality as m(lon, lat, line_id, ord)
		join boundary_lines l on l.id = m.line_id`;
	const metresOf = new Map(distances.map((d) => [Number(d.ord) - 1, d.metres]));
	return rows.filter((row, i) => {
		const metres = metresOf.get(i) ?? 0;
		if (metres <= MARKER_MAX_OFF_LINE_M) return true;
		rejected.push({
			row: row.row,
			reason: `stands ${Math.round(metres)} m from line ${row.lineCode}; a marker stands on its line (within ${MARKER_MAX_OFF_LINE_M} m): check lon/lat and line_code`
		});
		return false;
	});
}

export async function importMarkers(
	sql: Sql,
	input: { districtCode: string; format: ImportFormat; text: string; dryRun: boolean; actor: string }
): Promise<RowImportResult> {
	const read = readMarkerRows(input.format, input.text);
	const lines = new Map(
		(
			await sql<{ id: string; lineCode: string }[]>`
				select id, line_code from boundary_lines where district_code = ${input.districtCode}`
		).map((line) => [line.lineCode, Number(line.id)])
	);
	const rejected = [...read.rejected];
	const onKnownLines: LinedMarkerRow[] = [];
	for (const row of read.accepted) {
		const lineId = lines.get(row.lineCode);
		if (lineId === undefined)
			rejected.push({
				row: row.row,
				reason: `line_code ${row.lineCode} is not a boundary line of the district`
			});
		else onKnownLines.push({ ...row, lineId });
	}
	const good = await standingOnTheirLines(sql, onKnownLines, rejected);
	rejected.sort((a, b) => a.row - b.row);
	const [{ existing }] = await sql<{ existing: number }[]>`
		select count(*)::int as existing from boundary_markers
		where district_code = ${input.districtCode} and number = any(${good.map((row) => row.number)}::text[])`;
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
		for (const row of good) {
			await tx`
				insert into boundary_markers (district_code, line_id, number, marker_type, geom, condition, landmarks)
				values (${input.districtCode}, ${row.lineId}, ${row.number}, ${row.markerType},
					st_setsrid(st_makepoint(${row.position[0]}, ${row.position[1]}), 4326), ${row.condition}, ${row.landmarks})
				on conflict (district_code, number) do update set
					line_id = excluded.line_id, marker_type = excluded.marker_type, geom = excluded.geom,
					condition = excluded.condition, landmarks = excluded.landmarks, updated_at = now()`;
		}
		await recordAudit(tx as unknown as Sql, {
			actor: input.actor,
			action: 'marker.import',
			subjectType: 'import',
			subjectId: `markers:${input.format}`,
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

type MarkerDbRow = Omit<BoundaryMarker, 'id' | 'lineId' | 'position'> & {
	id: string;
	lineId: string;
	lon: number;
	lat: number;
};

const toMarker = (row: MarkerDbRow): BoundaryMarker => ({
	id: Number(row.id),
	number: row.number,
	markerType: row.markerType,
	lineId: Number(row.lineId),
	lineCode: row.lineCode,
	position: [row.lon, row.lat],
	condition: row.condition,
	landmarks: row.landmarks,
	photoCount: row.photoCount
});

/** The district's markers, or one line's, ordered by number. */
export async function listMarkers(
	sql: Sql,
	districtCode: string,
	filter: { lineId?: number; id?: number } = {}
): Promise<BoundaryMarker[]> {
	const rows = await sql<MarkerDbRow[]>`
		select m.id, m.number, m.marker_type, m.line_id, l.line_code, st_x(m.geom) as lon, st_y(m.geom) as lat,
			m.condition, m.landmarks,
			(select count(*)::int from boundary_marker_photos p where p.marker_id = m.id) as photo_count
		from boundary_markers m join boundary_lines l on l.id = m.line_id
		where m.district_code = ${districtCode}
			and (${filter.lineId ?? null}::bigint is null or m.line_id = ${filter.lineId ?? null})
			and (${filter.id ?? null}::bigint is null or m.id = ${filter.id ?? null})
		order by m.number`;
	return rows.map(toMarker);
}

export async function findMarker(sql: Sql, districtCode: string, id: number): Promise<BoundaryMarker | null> {
	return (await listMarkers(sql, districtCode, { id }))[0] ?? null;
}

export interface MarkerPhoto {
	id: number;
	contentType: string;
	size: number;
	caption: string | null;
	uploadedBy: string;
	createdAt: Date;
}

export async function markerPhotos(sql: Sql, markerId: number): Promise<MarkerPhoto[]> {
	const rows = await sql<(MarkerPhoto & { id: string })[]>`
		select id, content_type, octet_length(bytes) as size, caption, uploaded_by, created_at
		from boundary_marker_photos where marker_id = ${markerId} order by id`;
	return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

/** The image type the bytes start with, whatever the upload claims. */
function sniffImage(bytes: Uint8Array): string | null {
	const starts = (...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
	if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
	if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
	if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === 'WEBP')
		return 'image/webp';
	return null;
}

export async function addMarkerPhoto(
	sql: Sql,
	input: {
		districtCode: string;
		markerId: number;
		bytes: Uint8Array;
		declaredType: string;
		caption: string | null;
		actor: string;
	}
): Promise<number> {
	const marker = await findMarker(sql, input.districtCode, input.markerId);
	if (!marker)
		throw new BoundaryError('NOT_FOUND', `marker ${input.markerId} is not in district ${input.districtCode}`);
	if (input.bytes.length === 0) throw new BoundaryError('INVALID', 'the photo is empty');
	if (input.bytes.length > PHOTO_MAX_BYTES)
		throw new BoundaryError('INVALID', `the photo is larger than ${PHOTO_MAX_BYTES / 1024 / 1024} MiB`);
	const sniffed = sniffImage(input.bytes);
	if (!sniffed || sniffed !== input.declaredType)
		throw new BoundaryError(
			'INVALID',
			'the photo must be a JPEG, PNG or WebP image (its content does not match)'
		);
	return sql.begin(async (tx) => {
		const [{ id }]: { id: string }[] = await tx`
			insert into boundary_marker_photos (marker_id, content_type, bytes, caption, uploaded_by)
			values (${input.markerId}, ${sniffed}, ${Buffer.from(input.bytes)}, ${input.caption}, ${input.actor})
			returning id`;
		await recordAudit(tx as unknown as Sql, {
			actor: input.actor,
			action: 'marker.photo_add',
			subjectType: 'boundary_marker',
			subjectId: input.markerId,
			districtCode: input.districtCode,
			detail: { photoId: Number(id), bytes: input.bytes.length }
		});
		return Number(id);
	}) as Promise<number>;
}

export async function markerPhoto(
	sql: Sql,
	districtCode: string,
	markerId: number,
	photoId: number
): Promise<{ contentType: string; bytes: Buffer } | null> {
	const [row]: { contentType: string; bytes: Buffer }[] = await sql`
		select p.content_type, p.bytes from boundary_marker_photos p
		join boundary_markers m on m.id = p.marker_id
		where p.id = ${photoId} and p.marker_id = ${markerId} and m.district_code = ${districtCode}`;
	return row ?? null;
}
