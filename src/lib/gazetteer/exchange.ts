/**
 * GeoJSON and CSV in and out of the gazetteer. Reading a file turns each feature (numbered from 1)
 * or data line (its physical line number, the header being line 1) into a proposal or a rejection
 * naming that number, so the dry run can list every bad row; checks that need the database
 * (duplicates in the street, inside the district) are the server's (src/lib/server/gazetteer/exchange.ts).
 * Writing exports the published names.
 */
import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { placeRecordSchema, type PlaceAlias, type PlaceRecord, type PlaceRecordInput } from './record';
import { checkApprovalRules } from './rules';

export interface ParsedRow {
	row: number;
	input: PlaceRecordInput;
}

export interface RejectedRow {
	row: number;
	messages: string[];
}

export interface ParsedFile {
	rows: ParsedRow[];
	rejected: RejectedRow[];
}

export type ExchangeFormat = 'geojson' | 'csv';

function splitList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String);
	if (typeof value === 'string')
		return value
			.split('|')
			.map((s) => s.trim())
			.filter(Boolean);
	return [];
}

/** A protected former name ends in this mark, so an export read back keeps its protection. */
const PROTECTED_MARK = ':protected';

/** A former name written `name[:from-to][:protected]` (years optional), as the exports write it. */
function parseFormer(text: string): PlaceAlias {
	const match = /^(.+?)(?::(\d{4})?-(\d{4})?)?(:protected|:保护)?$/.exec(text.trim())!;
	return {
		name: match[1],
		kind: 'former',
		fromYear: match[2] ? Number(match[2]) : null,
		toYear: match[3] ? Number(match[3]) : null,
		protected: match[4] !== undefined
	};
}

function fromProperties(p: Record<string, unknown>, geometry: Geometry | null): unknown {
	const text = (...keys: string[]) => {
		for (const key of keys)
			if (p[key] !== undefined && p[key] !== null && p[key] !== '') return String(p[key]);
		return undefined;
	};
	return {
		standardName: text('standardName', 'standard_name', 'name') ?? '',
		classCode: text('classCode', 'class_code') ?? '',
		pinyin: text('pinyin'),
		originNote: text('originNote', 'origin', 'origin_note') ?? null,
		protected: p.protected === true || p.protected === 'true',
		geometry,
		geomPrecision: text('geomPrecision', 'geom_precision') ?? 'surveyed',
		aliases: [
			...splitList(p.aliases).map((name) => ({ name, kind: 'alias' as const })),
			...splitList(p.formerNames ?? p.former_names).map(parseFormer)
		]
	};
}

function check(row: number, raw: unknown, out: ParsedFile): void {
	const parsed = placeRecordSchema.safeParse(raw);
	if (!parsed.success) {
		out.rejected.push({
			row,
			messages: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`)
		});
		return;
	}
	// The rules that need nothing but the row; pinyin is generated later when it is left empty.
	const violations = checkApprovalRules(
		{ ...parsed.data, pinyin: parsed.data.pinyin || '-', aliases: parsed.data.aliases },
		{ sameStreet: [], insideDistrict: null }
	);
	if (violations.length) out.rejected.push({ row, messages: violations.map((v) => v.message) });
	else out.rows.push({ row, input: parsed.data });
}

/**
 * Reads a GeoJSON FeatureCollection or a CSV file of place names.
 *
 * @example parseGazetteerFile('standard_name,class_code,lon,lat\n中山路,53100,118.08,24.45', 'csv')
 */
export function parseGazetteerFile(text: string, format: ExchangeFormat): ParsedFile {
	const out: ParsedFile = { rows: [], rejected: [] };
	if (format === 'geojson') {
		let collection: FeatureCollection;
		try {
			collection = JSON.parse(text);
		} catch {
			return { rows: [], rejected: [{ row: 0, messages: ['file: not valid JSON'] }] };
		}
		if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features))
			return { rows: [], rejected: [{ row: 0, messages: ['file: not a GeoJSON FeatureCollection'] }] };
		collection.features.forEach((feature: Feature, i) =>
			check(i + 1, fromProperties(feature?.properties ?? {}, feature?.geometry ?? null), out)
		);
		return out;
	}
	let records: Record<string, string>[];
	try {
		records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
	} catch (failure) {
		return { rows: [], rejected: [{ row: 0, messages: [`file: ${(failure as Error).message}`] }] };
	}
	records.forEach((record, i) => {
		const lon = record.lon === undefined || record.lon === '' ? NaN : Number(record.lon);
		const lat = record.lat === undefined || record.lat === '' ? NaN : Number(record.lat);
		const row = i + 2;
		const hasPosition = Number.isFinite(lon) && Number.isFinite(lat);
		if ((record.lon || record.lat) && !hasPosition) {
			out.rejected.push({ row, messages: ['lon, lat: numbers expected'] });
			return;
		}
		check(row, fromProperties(record, hasPosition ? { type: 'Point', coordinates: [lon, lat] } : null), out);
	});
	return out;
}

export interface ExportedPlace {
	id: number;
	record: PlaceRecord;
	point: [number, number] | null;
	publishedVersion: number;
}

function aliasText(record: PlaceRecord, kind: 'alias' | 'former'): string[] {
	return record.aliases
		.filter((a) => a.kind === kind)
		.map((a) => {
			if (kind === 'alias') return a.name;
			const years = a.fromYear == null && a.toYear == null ? '' : `:${a.fromYear ?? ''}-${a.toYear ?? ''}`;
			return `${a.name}${years}${a.protected ? PROTECTED_MARK : ''}`;
		});
}

/** The published gazetteer as GeoJSON, one feature per name, with every attribute. */
export function gazetteerGeoJson(places: ExportedPlace[]): FeatureCollection {
	return {
		type: 'FeatureCollection',
		features: places.map(({ id, record, publishedVersion }) => ({
			type: 'Feature',
			id,
			geometry: record.geometry as Geometry,
			properties: {
				id,
				standardName: record.standardName,
				specificPart: record.specificPart,
				genericPart: record.genericPart,
				pinyin: record.pinyin,
				classCode: record.classCode,
				regionCode: record.regionCode,
				status: record.status,
				protected: record.protected,
				originNote: record.originNote,
				geomPrecision: record.geomPrecision,
				successorId: record.successorId,
				aliases: aliasText(record, 'alias'),
				formerNames: aliasText(record, 'former'),
				version: publishedVersion
			}
		}))
	};
}

const CSV_COLUMNS = [
	'id',
	'standard_name',
	'specific_part',
	'generic_part',
	'pinyin',
	'class_code',
	'region_code',
	'status',
	'protected',
	'lon',
	'lat',
	'geom_precision',
	'origin',
	'aliases',
	'former_names',
	'version'
];

function csvCell(value: unknown): string {
	const text = value === null || value === undefined ? '' : String(value);
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The published gazetteer as CSV (a representative point per name); the importer reads it back. */
export function gazetteerCsv(places: ExportedPlace[]): string {
	const lines = [CSV_COLUMNS.join(',')];
	for (const { id, record, point, publishedVersion } of places)
		lines.push(
			[
				id,
				record.standardName,
				record.specificPart,
				record.genericPart,
				record.pinyin,
				record.classCode,
				record.regionCode,
				record.status,
				record.protected,
				point?.[0],
				point?.[1],
				record.geomPrecision,
				record.originNote,
				aliasText(record, 'alias').join('|'),
				aliasText(record, 'former').join('|'),
				publishedVersion
			]
				.map(csvCell)
				.join(',')
		);
	return lines.join('\n') + '\n';
}
