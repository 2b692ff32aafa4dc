/**
 * Rows of an import file, CSV or GeoJSON, read the same way: each row knows where it is in the file
 * (the physical line for CSV, header = line 1; the 1-based feature number for GeoJSON) so that a
 * dry run can name every bad row and the good ones can still be imported. Used by the address and
 * boundary-marker importers (src/lib/addresses, src/lib/boundaries); pure, no database.
 */
import { parse } from 'csv-parse/sync';

export type ImportFormat = 'csv' | 'geojson';

export interface RowProblem {
	/** CSV: physical line (header = 1); GeoJSON: feature number from 1; 0: the whole file. */
	row: number;
	reason: string;
}

/** What an import of rows did (or, in a dry run, would do). */
export interface RowImportResult {
	dryRun: boolean;
	format: ImportFormat;
	/** Rows that are (or would be) imported. */
	accepted: number;
	/** Of those, rows new to the register and rows already there (updated). */
	created: number;
	updated: number;
	rejected: RowProblem[];
}

export interface ReadRows<T> {
	accepted: T[];
	rejected: RowProblem[];
}

export interface SourceRow {
	row: number;
	/** A field's text, trimmed; '' when absent. */
	get(field: string): string;
	/** The GeoJSON point's [lon, lat]; CSV rows carry lon and lat as fields instead. */
	point: [number, number] | null;
}

export interface SourceRows {
	rows: SourceRow[];
	rejected: RowProblem[];
}

/** Splits a CSV text into rows, refusing lines that are not valid CSV or have the wrong field count. */
export function csvRows(text: string, requiredColumns: string[]): SourceRows {
	let records: { record: string[]; info: { lines: number } }[];
	try {
		records = parse(text.replace(/^\uFEFF/, ''), {
			trim: true,
			relax_column_count: true,
			skip_empty_lines: true,
			info: true
		}) as unknown as { record: string[]; info: { lines: number } }[];
	} catch (failure) {
		const line = (failure as { lines?: number }).lines ?? 0;
		return { rows: [], rejected: [{ row: line, reason: `not valid CSV: ${(failure as Error).message}` }] };
	}
	const [head, ...body] = records;
	if (!head) return { rows: [], rejected: [{ row: 1, reason: 'the header line is missing' }] };
	const header = head.record.map((field) => field.toLowerCase());
	const missing = requiredColumns.filter((column) => !header.includes(column));
	if (missing.length > 0)
		return { rows: [], rejected: [{ row: 1, reason: `the header lacks ${missing.join(', ')}` }] };
	const rows: SourceRow[] = [];
	const rejected: RowProblem[] = [];
	for (const { record, info } of body) {
		// csv-parse counts the lines read so far: a record's last line (a quoted field may span several).
		const line = info.lines;
		if (record.every((field) => field === '')) continue;
		if (record.length !== header.length) {
			rejected.push({ row: line, reason: `${record.length} fields, the header has ${header.length}` });
			continue;
		}
		const values = new Map(header.map((column, i) => [column, record[i]]));
		rows.push({ row: line, get: (field) => values.get(field) ?? '', point: null });
	}
	return { rows, rejected };
}

/** Splits a GeoJSON FeatureCollection of points into rows, one per feature, fields from its properties. */
export function geoJsonRows(text: string): SourceRows {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { rows: [], rejected: [{ row: 0, reason: 'the file is not JSON' }] };
	}
	const features = (parsed as { type?: unknown; features?: unknown }).features;
	if ((parsed as { type?: unknown }).type !== 'FeatureCollection' || !Array.isArray(features))
		return { rows: [], rejected: [{ row: 0, reason: 'the file is not a GeoJSON FeatureCollection' }] };
	const rows: SourceRow[] = [];
	const rejected: RowProblem[] = [];
	features.forEach((feature: unknown, index) => {
		const row = index + 1;
		const geometry = (feature as { geometry?: { type?: unknown; coordinates?: unknown } })?.geometry;
		const coordinates = geometry?.coordinates;
		if (
			geometry?.type !== 'Point' ||
			!Array.isArray(coordinates) ||
			coordinates.length < 2 ||
			!coordinates.slice(0, 2).every((value) => typeof value === 'number' && Number.isFinite(value))
		) {
			rejected.push({ row, reason: 'geometry is not a Point with numeric coordinates' });
			return;
		}
		const properties = ((feature as { properties?: unknown }).properties ?? {}) as Record<string, unknown>;
		rows.push({
			row,
			get: (field) => {
				const value = properties[field];
				return value === undefined || value === null ? '' : String(value).trim();
			},
			point: [coordinates[0] as number, coordinates[1] as number]
		});
	});
	return { rows, rejected };
}

export function sourceRows(format: ImportFormat, text: string, requiredCsvColumns: string[]): SourceRows {
	return format === 'csv' ? csvRows(text, requiredCsvColumns) : geoJsonRows(text);
}

/** The row's position: the GeoJSON point, or the CSV's lon and lat columns; null after noting why not. */
export function rowPosition(row: SourceRow, problems: string[]): [number, number] | null {
	let lon: number;
	let lat: number;
	if (row.point) [lon, lat] = row.point;
	else {
		const rawLon = row.get('lon');
		const rawLat = row.get('lat');
		if (!rawLon || !rawLat) {
			problems.push('lon and lat are required');
			return null;
		}
		lon = Number(rawLon);
		lat = Number(rawLat);
		if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
			problems.push(`lon "${rawLon}" / lat "${rawLat}" are not numbers`);
			return null;
		}
	}
	if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
		problems.push(`position ${lon}, ${lat} is not a WGS-84 longitude, latitude`);
		return null;
	}
	return [lon, lat];
}

/** Requires a value and refuses one already used earlier in the file, naming that row. */
export function uniqueKey(
	field: string,
	value: string,
	row: number,
	seen: Map<string, number>,
	problems: string[]
): void {
	if (!value) return void problems.push(`${field} is missing`);
	const first = seen.get(value);
	if (first !== undefined) problems.push(`${field} ${value} repeats row ${first}`);
	else seen.set(value, row);
}

/** Requires (or allows empty) text no longer than `max` characters. */
export function textField(
	row: SourceRow,
	field: string,
	max: number,
	required: boolean,
	problems: string[]
): string | null {
	const value = row.get(field);
	if (!value) {
		if (required) problems.push(`${field} is missing`);
		return null;
	}
	if ([...value].length > max) {
		problems.push(`${field} is longer than ${max} characters`);
		return null;
	}
	return value;
}

/** Puts the structural and field problems in file order. */
export function inFileOrder<T>(result: ReadRows<T>): ReadRows<T> {
	return { accepted: result.accepted, rejected: [...result.rejected].sort((a, b) => a.row - b.row) };
}

/** One CSV line for the exports: fields quoted when they hold a comma, quote or line break. */
export function csvLine(fields: (string | number | null | undefined)[]): string {
	return fields
		.map((field) => {
			const text = field === null || field === undefined ? '' : String(field);
			return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
		})
		.join(',');
}
