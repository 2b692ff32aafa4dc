/**
 * Pure readers for the CSV importers (facilities, population cells, households, devices). Each data
 * line becomes a typed record or a rejection naming its physical line number (header = line 1), so an
 * operator can open the file and fix exactly that line. Positions are returned in WGS-84 after
 * conversion from the declared CRS; matching codes, households and devices to the database is the
 * caller's job.
 */
import { parse } from 'csv-parse/sync';
import type { Position } from 'geojson';
import { convertPosition, type Crs } from '../../geo/crs';
import { FACILITY_KINDS, type FacilityKind } from '../../facility-kinds';
import {
	EMERGENCY_CONTACTS,
	FIRMWARE_MAX_LENGTH,
	HEARTBEAT_S,
	PHONE_PATTERN,
	RISK_LEVELS,
	type RiskLevel
} from '../devices/fields';
import { DEVICE_ID, DEVICE_KINDS, type DeviceKind } from '../../mqtt/contract';
import type { EmergencyContact } from '../devices/registry';
import { normaliseRegionCode, type ParseResult, type Rejected } from './import-result';

export const FACILITY_STATUSES = ['planned', 'building', 'open', 'closed'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];

export interface FacilityRecord {
	/** Physical line number in the file, as in Rejected.row, so later checks by the caller can reject it too. */
	row: number;
	externalId: string;
	name: string;
	kind: FacilityKind;
	status: FacilityStatus;
	beds: number;
	nursingBeds: number;
	/** ISO date YYYY-MM-DD. */
	openedOn: string | null;
	/** Normalised 6-, 9- or 12-digit statistical code. */
	regionCode: string | null;
	address: string | null;
	/** [lon, lat] in WGS-84, or null when the file gives only an address. */
	position: [number, number] | null;
	needsGeocoding: boolean;
}

export interface PopulationCellRecord {
	/** Physical line number in the file, as in Rejected.row. */
	row: number;
	cellId: string;
	/** Cell centre, [lon, lat] in WGS-84. */
	position: [number, number];
	elderly: number;
	total: number | null;
	source: string | null;
}

export interface CsvImportOptions {
	/** CRS of the lon/lat columns. */
	crs: Crs;
}

const FACILITY_COLUMNS = ['external_id', 'name', 'kind'];
const POPULATION_COLUMNS = ['cell_id', 'lon', 'lat', 'elderly'];
const HOUSEHOLD_COLUMNS = ['external_id', 'resident_name', 'lon', 'lat', 'consent'];
const DEVICE_COLUMNS = ['device_id', 'household_external_id', 'kind', 'heartbeat_s'];

/**
 * One household line. Null stands for an empty cell (or a column the file does not have): the
 * household keeps what is on record for it, and a new one gets the default.
 */
export interface HouseholdRecord {
	/** The line of the file the record came from. */
	row: number;
	externalId: string;
	residentName: string;
	phone: string | null;
	address: string | null;
	/** [lon, lat] in WGS-84. */
	position: [number, number];
	riskLevel: RiskLevel | null;
	emergencyContacts: EmergencyContact[] | null;
	consent: boolean;
}

export interface DeviceRecord {
	/** The line of the file the record came from. */
	row: number;
	deviceId: string;
	householdExternalId: string;
	kind: DeviceKind;
	heartbeatS: number;
	firmware: string | null;
	/** The file asks for a new password for a device already registered (new devices always get one). */
	newCredential: boolean;
}

/** Reads a facilities CSV; rows without lon/lat but with an address are accepted for geocoding. */
export function parseFacilitiesCsv(text: string, options: CsvImportOptions): ParseResult<FacilityRecord> {
	const table = readCsvTable(text, FACILITY_COLUMNS);
	const result: ParseResult<FacilityRecord> = { accepted: [], rejected: table.rejected };
	const firstSeen = new Map<string, number>();
	for (const { line, get } of table.rows) {
		const problems: string[] = [];
		const externalId = get('external_id');
		firstOccurrence('external_id', externalId, line, firstSeen, problems);
		const name = get('name');
		if (!name) problems.push('name is missing');
		const kind = oneOf('kind', get('kind'), FACILITY_KINDS, null, problems);
		const status = oneOf('status', get('status'), FACILITY_STATUSES, 'open', problems);
		const beds = count('beds', get('beds'), problems);
		const nursingBeds = count('nursing_beds', get('nursing_beds'), problems);
		if (beds !== null && nursingBeds !== null && nursingBeds > beds) {
			problems.push(`nursing_beds ${nursingBeds} exceeds beds ${beds}`);
		}
		const openedOn = get('opened_on');
		if (openedOn && !isIsoDate(openedOn)) problems.push(`opened_on "${openedOn}" is not a date (YYYY-MM-DD)`);
		const rawRegion = get('region_code');
		const region = rawRegion ? normaliseRegionCode(rawRegion) : null;
		if (rawRegion && !region) {
			problems.push(`region_code ${rawRegion} is not a 6-, 9- or 12-digit statistical code`);
		}
		const address = get('address');
		const lon = get('lon');
		const lat = get('lat');
		let position: [number, number] | null = null;
		if (lon || lat) position = readPosition(lon, lat, options.crs, problems);
		else if (!address) problems.push('address is required when lon and lat are empty');

		if (problems.length > 0 || !kind || !status || beds === null || nursingBeds === null) {
			result.rejected.push({ row: line, reason: problems.join('; ') });
			continue;
		}
		result.accepted.push({
			row: line,
			externalId,
			name,
			kind,
			status,
			beds,
			nursingBeds,
			openedOn: openedOn || null,
			regionCode: region?.code ?? null,
			address: address || null,
			position,
			needsGeocoding: position === null
		});
	}
	return finish(result);
}

/** Reads a population grid CSV: one line per cell, with its centre and elderly head count. */
export function parsePopulationCellsCsv(
	text: string,
	options: CsvImportOptions
): ParseResult<PopulationCellRecord> {
	const table = readCsvTable(text, POPULATION_COLUMNS);
	const result: ParseResult<PopulationCellRecord> = { accepted: [], rejected: table.rejected };
	const firstSeen = new Map<string, number>();
	for (const { line, get } of table.rows) {
		const problems: string[] = [];
		const cellId = get('cell_id');
		firstOccurrence('cell_id', cellId, line, firstSeen, problems);
		const lon = get('lon');
		const lat = get('lat');
		if (!lon) problems.push('lon is missing');
		if (!lat) problems.push('lat is missing');
		const position = lon && lat ? readPosition(lon, lat, options.crs, problems) : null;
		const rawElderly = get('elderly');
		if (!rawElderly) problems.push('elderly is missing');
		const elderly = rawElderly ? amount('elderly', rawElderly, problems) : null;
		const rawTotal = get('total');
		const total = rawTotal ? amount('total', rawTotal, problems) : null;
		if (elderly !== null && total !== null && total < elderly) {
			problems.push(`total ${total} is less than elderly ${elderly}`);
		}
		if (problems.length > 0 || !position || elderly === null) {
			result.rejected.push({ row: line, reason: problems.join('; ') });
			continue;
		}
		result.accepted.push({ row: line, cellId, position, elderly, total, source: get('source') || null });
	}
	return finish(result);
}

// --- reading the table ---------------------------------------------------------------------------

interface CsvRow {
	/** Physical line number in the file where the record starts (header = 1). */
	line: number;
	/** Trimmed value of a column; '' when the column is absent or empty. */
	get: (column: string) => string;
}

/**
 * Reads a households CSV: `external_id,resident_name,phone,address,lon,lat,risk_level,consent`
 * and optionally `emergency_contacts` (see readEmergencyContacts). Consent must be stated (yes/no,
 * true/false, 1/0, 是/否): monitoring needs the resident's agreement.
 */
export function parseHouseholdsCsv(text: string, options: CsvImportOptions): ParseResult<HouseholdRecord> {
	const table = readCsvTable(text, HOUSEHOLD_COLUMNS);
	const result: ParseResult<HouseholdRecord> = { accepted: [], rejected: table.rejected };
	const firstSeen = new Map<string, number>();
	for (const { line, get } of table.rows) {
		const problems: string[] = [];
		const externalId = get('external_id');
		firstOccurrence('external_id', externalId, line, firstSeen, problems);
		const residentName = get('resident_name');
		if (!residentName) problems.push('resident_name is missing');
		const lon = get('lon');
		const lat = get('lat');
		if (!lon || !lat) problems.push('lon and lat are required');
		const position = lon && lat ? readPosition(lon, lat, options.crs, problems) : null;
		const rawRisk = get('risk_level');
		const riskLevel = rawRisk ? oneOf('risk_level', rawRisk, RISK_LEVELS, null, problems) : null;
		const consent = yesOrNo('consent', get('consent'), null, problems);
		const phone = get('phone');
		if (phone && !PHONE_PATTERN.test(phone)) problems.push(`phone "${phone}" is not a phone number`);
		const emergencyContacts = readEmergencyContacts(get('emergency_contacts'), problems);
		if (problems.length > 0 || !position || consent === null) {
			result.rejected.push({ row: line, reason: problems.join('; ') });
			continue;
		}
		result.accepted.push({
			row: line,
			externalId,
			residentName,
			phone: phone || null,
			address: get('address') || null,
			position,
			riskLevel,
			emergencyContacts,
			consent
		});
	}
	return finish(result);
}

/**
 * Reads a devices CSV: `device_id,household_external_id,kind,heartbeat_s[,firmware][,new_credential]`.
 * Which households exist, and which devices are already registered, is the caller's to check.
 */
export function parseDevicesCsv(text: string): ParseResult<DeviceRecord> {
	const table = readCsvTable(text, DEVICE_COLUMNS);
	const result: ParseResult<DeviceRecord> = { accepted: [], rejected: table.rejected };
	const firstSeen = new Map<string, number>();
	for (const { line, get } of table.rows) {
		const problems: string[] = [];
		const deviceId = get('device_id');
		firstOccurrence('device_id', deviceId, line, firstSeen, problems);
		if (deviceId && !DEVICE_ID.test(deviceId)) {
			problems.push(
				`device_id "${deviceId}" must be 3 to 64 letters, digits, _ or -, starting with a letter or digit`
			);
		}
		const householdExternalId = get('household_external_id');
		if (!householdExternalId) problems.push('household_external_id is missing');
		const kind = oneOf('kind', get('kind'), DEVICE_KINDS, null, problems);
		const heartbeatS = wholeNumberIn('heartbeat_s', get('heartbeat_s'), HEARTBEAT_S, problems);
		const firmware = get('firmware');
		if (firmware.length > FIRMWARE_MAX_LENGTH) {
			problems.push(`firmware is longer than ${FIRMWARE_MAX_LENGTH} characters`);
		}
		const newCredential = yesOrNo('new_credential', get('new_credential'), false, problems);
		if (problems.length > 0 || !kind || heartbeatS === null || newCredential === null) {
			result.rejected.push({ row: line, reason: problems.join('; ') });
			continue;
		}
		result.accepted.push({
			row: line,
			deviceId,
			householdExternalId,
			kind,
			heartbeatS,
			firmware: firmware || null,
			newCredential
		});
	}
	return finish(result);
}

interface CsvTable {
	rows: CsvRow[];
	rejected: Rejected[];
}

/**
 * Frames records line by line and lets csv-parse read each one. csv-parse's
 * `skip_records_with_error` copes with a wrong column count, but an unclosed quote makes it read the
 * rest of the file as one field; framing ourselves confines that damage to the offending line.
 * A quoted field may still span lines (Excel writes these for Alt+Enter in a cell) as long as the
 * quotes balance and the joined record has the header's column count.
 */
function readCsvTable(text: string, requiredColumns: string[]): CsvTable {
	const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
	const headerFields = lines[0] === undefined ? null : parseRecord(lines[0]);
	if (!Array.isArray(headerFields) || headerFields.every((field) => field === '')) {
		return { rows: [], rejected: [{ row: 1, reason: 'header line is missing or not valid CSV' }] };
	}
	const header = headerFields.map((field) => field.toLowerCase());
	const missing = requiredColumns.filter((column) => !header.includes(column));
	if (missing.length > 0) {
		const label = missing.length === 1 ? 'column' : 'columns';
		return {
			rows: [],
			rejected: [{ row: 1, reason: `header is missing required ${label} ${missing.join(', ')}` }]
		};
	}

	const rows: CsvRow[] = [];
	const rejected: Rejected[] = [];
	let index = 1;
	while (index < lines.length) {
		const line = index + 1;
		if (lines[index].trim() === '') {
			index++;
			continue;
		}
		let end = index;
		let quotes = countQuotes(lines[index]);
		while (quotes % 2 === 1 && end + 1 < lines.length) quotes += countQuotes(lines[++end]);
		const spansLines = end > index;
		const fields = quotes % 2 === 1 ? null : parseRecord(lines.slice(index, end + 1).join('\n'));
		if (!Array.isArray(fields) || (spansLines && fields.length !== header.length)) {
			// A quote that never closes (or closes many lines later in a record that does not fit) is a
			// broken line: report it alone and carry on with the next line.
			const reason = typeof fields === 'string' && !spansLines ? fields : 'line has an unclosed quote';
			rejected.push({ row: line, reason });
			index++;
			continue;
		}
		index = end + 1;
		// Spreadsheets often export trailing lines of bare commas; they carry no data.
		if (fields.every((field) => field === '')) continue;
		if (fields.length !== header.length) {
			rejected.push({
				row: line,
				reason: `line has ${fields.length} fields, expected ${header.length} as in the header`
			});
			continue;
		}
		const values = new Map(header.map((column, i) => [column, fields[i]]));
		rows.push({ line, get: (column) => values.get(column) ?? '' });
	}
	return { rows, rejected };
}

/** Parses one framed record into trimmed fields, or returns why it is not valid CSV. */
function parseRecord(text: string): string[] | string {
	try {
		const records: string[][] = parse(text, { trim: true, relax_column_count: true });
		return records[0] ?? [];
	} catch (error) {
		const code = (error as { code?: string }).code;
		if (code === 'CSV_INVALID_CLOSING_QUOTE') return 'line has text after the closing quote of a field';
		if (code === 'CSV_QUOTE_NOT_CLOSED') return 'line has an unclosed quote';
		return `line is not valid CSV: ${(error as Error).message}`;
	}
}

function countQuotes(line: string): number {
	let count = 0;
	for (const char of line) if (char === '"') count++;
	return count;
}

/** Puts structural rejections (found while framing lines) and field rejections in file order. */
function finish<T>(result: ParseResult<T>): ParseResult<T> {
	return { accepted: result.accepted, rejected: [...result.rejected].sort((a, b) => a.row - b.row) };
}

// --- field readers: return the value, or null after pushing a problem ------------------------------

/** Splits contacts and their parts; the full-width ；and ： that Chinese input methods type count too. */
const CONTACT_SEPARATOR = /[;；]/;
const CONTACT_PART_SEPARATOR = /[:：]/;

/**
 * The `emergency_contacts` cell: `name:phone[:relation]` per contact, contacts separated by `;`
 * (e.g. `李娜:13800000000:女儿;王强:0592-5550000`), at most EMERGENCY_CONTACTS.max of them. An
 * empty cell gives null: the contacts on record stay as they are.
 */
function readEmergencyContacts(raw: string, problems: string[]): EmergencyContact[] | null {
	// A trailing separator, as spreadsheets leave when cells are joined, is no contact.
	const entries = raw
		.split(CONTACT_SEPARATOR)
		.map((entry) => entry.trim())
		.filter(Boolean);
	if (entries.length === 0) return null;
	const before = problems.length;
	if (entries.length > EMERGENCY_CONTACTS.max)
		problems.push(`emergency_contacts lists ${entries.length} contacts, at most ${EMERGENCY_CONTACTS.max}`);
	const contacts = entries.map((entry, i): EmergencyContact => {
		const which = `emergency contact ${i + 1}`;
		const [name = '', phone = '', relation = '', ...extra] = entry
			.split(CONTACT_PART_SEPARATOR)
			.map((part) => part.trim());
		if (extra.length > 0) problems.push(`${which} "${entry}" has more than name:phone:relation`);
		if (!name) problems.push(`${which} has no name (write name:phone[:relation])`);
		else if (name.length > EMERGENCY_CONTACTS.nameMaxLength)
			problems.push(`${which} name is longer than ${EMERGENCY_CONTACTS.nameMaxLength} characters`);
		if (!phone) problems.push(`${which} has no phone (write name:phone[:relation])`);
		else if (!PHONE_PATTERN.test(phone)) problems.push(`${which} phone "${phone}" is not a phone number`);
		if (relation.length > EMERGENCY_CONTACTS.relationMaxLength)
			problems.push(`${which} relation is longer than ${EMERGENCY_CONTACTS.relationMaxLength} characters`);
		return relation ? { name, phone, relation } : { name, phone };
	});
	return problems.length > before ? null : contacts;
}

/** Requires an id and refuses one already used earlier in the file, naming that line. */
function firstOccurrence(
	field: string,
	id: string,
	line: number,
	firstSeen: Map<string, number>,
	problems: string[]
): void {
	if (!id) return void problems.push(`${field} is missing`);
	const seen = firstSeen.get(id);
	if (seen !== undefined) problems.push(`duplicate ${field} ${id} (first seen on line ${seen})`);
	else firstSeen.set(id, line);
}

function oneOf<T extends string>(
	field: string,
	raw: string,
	allowed: readonly T[],
	fallback: T | null,
	problems: string[]
): T | null {
	if (!raw) {
		if (fallback === null) problems.push(`${field} is missing`);
		return fallback;
	}
	if ((allowed as readonly string[]).includes(raw)) return raw as T;
	problems.push(`${field} "${raw}" is not one of ${allowed.join(', ')}`);
	return null;
}

/** yes/no, true/false, 1/0 or 是/否; empty gives the fallback, or a problem when there is none. */
function yesOrNo(field: string, raw: string, fallback: boolean | null, problems: string[]): boolean | null {
	const text = raw.toLowerCase();
	if (!text && fallback !== null) return fallback;
	if (['yes', 'true', '1', '是'].includes(text)) return true;
	if (['no', 'false', '0', '否'].includes(text)) return false;
	problems.push(`${field} "${raw}" must be yes or no`);
	return null;
}

/** A required whole number within bounds, such as a heartbeat interval in seconds. */
function wholeNumberIn(
	field: string,
	raw: string,
	range: { min: number; max: number },
	problems: string[]
): number | null {
	const value = Number(raw);
	if (!raw) problems.push(`${field} is missing`);
	else if (!/^\d+$/.test(raw)) problems.push(`${field} "${raw}" is not a whole number`);
	else if (value < range.min || value > range.max)
		problems.push(`${field} ${value} is outside ${range.min}..${range.max}`);
	else return value;
	return null;
}

/** A non-negative integer such as a bed count; empty means 0. */
function count(field: string, raw: string, problems: string[]): number | null {
	if (!raw) return 0;
	if (/^\d+$/.test(raw)) return Number(raw);
	problems.push(`${field} "${raw}" is not a non-negative integer`);
	return null;
}

/** A non-negative number such as a head count (grid estimates may be fractional). */
function amount(field: string, raw: string, problems: string[]): number | null {
	const value = readNumber(field, raw, problems);
	if (value !== null && value < 0) {
		problems.push(`${field} ${value} is negative`);
		return null;
	}
	return value;
}

function readNumber(field: string, raw: string, problems: string[]): number | null {
	const value = raw === '' ? NaN : Number(raw);
	if (Number.isFinite(value)) return value;
	problems.push(`${field} "${raw}" is not a number`);
	return null;
}

function readPosition(lon: string, lat: string, crs: Crs, problems: string[]): [number, number] | null {
	if (!lon) problems.push('lon is missing while lat is given');
	if (!lat) problems.push('lat is missing while lon is given');
	if (!lon || !lat) return null;
	const before = problems.length;
	const x = readNumber('lon', lon, problems);
	const y = readNumber('lat', lat, problems);
	if (x !== null && (x < -180 || x > 180)) problems.push(`lon ${x} is outside -180..180`);
	if (y !== null && (y < -90 || y > 90)) problems.push(`lat ${y} is outside -90..90`);
	if (x === null || y === null || problems.length > before) return null;
	const [wgsLon, wgsLat]: Position = convertPosition([x, y], crs, 'wgs84');
	return [wgsLon, wgsLat];
}

function isIsoDate(text: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
