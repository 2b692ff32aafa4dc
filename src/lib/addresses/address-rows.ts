/**
 * The rows of an address import file (CSV with lon/lat columns, or GeoJSON points with the same
 * properties): `external_id, road_name, house_number, building, unit, road_pinyin, place_name_id`. Each row
 * becomes an address to save or a problem naming its row; matching to the database is the server's.
 */
import {
	inFileOrder,
	rowPosition,
	sourceRows,
	textField,
	uniqueKey,
	type ImportFormat,
	type ReadRows
} from '../geo/tabular-rows';

export interface AddressRow {
	row: number;
	externalId: string;
	roadName: string;
	houseNumber: string;
	building: string | null;
	unit: string | null;
	/** The road's pinyin as the file gives it; null to compute it from the gazetteer's rules. */
	roadPinyin: string | null;
	placeNameId: number | null;
	position: [number, number];
}

export const ADDRESS_COLUMNS = ['external_id', 'road_name', 'house_number', 'lon', 'lat'];
/** Letters (with tone marks), spaces, apostrophes and hyphens; no Chinese characters. */
const PINYIN = /^[\p{Script=Latin}' -]+$/u;

/**
 * @example readAddressRows('csv', 'external_id,road_name,house_number,lon,lat\nA1,思明南路,12,118.08,24.45')
 */
export function readAddressRows(format: ImportFormat, text: string): ReadRows<AddressRow> {
	const { rows, rejected } = sourceRows(format, text, ADDRESS_COLUMNS);
	const result: ReadRows<AddressRow> = { accepted: [], rejected };
	const seen = new Map<string, number>();
	for (const row of rows) {
		const problems: string[] = [];
		const externalId = row.get('external_id');
		uniqueKey('external_id', externalId, row.row, seen, problems);
		const roadName = textField(row, 'road_name', 100, true, problems);
		const houseNumber = textField(row, 'house_number', 20, true, problems);
		const building = textField(row, 'building', 20, false, problems);
		const unit = textField(row, 'unit', 20, false, problems);
		const roadPinyin = textField(row, 'road_pinyin', 200, false, problems);
		if (roadPinyin && !PINYIN.test(roadPinyin))
			problems.push(`road_pinyin "${roadPinyin}" is not romanised text`);
		const rawPlace = row.get('place_name_id');
		if (rawPlace && !/^[1-9]\d{0,15}$/.test(rawPlace))
			problems.push(`place_name_id "${rawPlace}" is not a place-name id`);
		const position = rowPosition(row, problems);
		if (problems.length > 0 || !roadName || !houseNumber || !position) {
			result.rejected.push({ row: row.row, reason: problems.join('; ') });
			continue;
		}
		result.accepted.push({
			row: row.row,
			externalId,
			roadName,
			houseNumber,
			building,
			unit,
			roadPinyin,
			placeNameId: rawPlace ? Number(rawPlace) : null,
			position
		});
	}
	return inFileOrder(result);
}
