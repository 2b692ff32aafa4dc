/**
 * Boundary markers (界桩) as the pages, the API and the exports see them, and how a file's rows
 * become markers: `number, marker_type, line_code, condition, landmarks` with lon/lat (CSV) or a
 * GeoJSON point. A type may be written as a word or as the provincial type letter (Q single; A/B
 * paired; C/D/E triple).
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import {
	csvLine,
	inFileOrder,
	rowPosition,
	sourceRows,
	textField,
	uniqueKey,
	type ImportFormat,
	type ReadRows
} from '../geo/tabular-rows';
import { INSPECTION_RESULTS, type InspectionResult } from './campaign-progress';

export const MARKER_TYPES = ['single', 'paired', 'triple'] as const;
export type MarkerType = (typeof MARKER_TYPES)[number];
/** A marker's condition is what its latest inspection found. */
export type MarkerCondition = InspectionResult;

export interface BoundaryMarker {
	id: number;
	number: string;
	markerType: MarkerType;
	lineId: number;
	lineCode: string;
	/** The recorded [lon, lat], WGS-84. */
	position: [number, number];
	condition: MarkerCondition;
	landmarks: string | null;
	photoCount: number;
}

export interface MarkerRow {
	row: number;
	number: string;
	markerType: MarkerType;
	lineCode: string;
	condition: MarkerCondition;
	landmarks: string | null;
	position: [number, number];
}

export const MARKER_COLUMNS = ['number', 'marker_type', 'line_code', 'lon', 'lat'];
const TYPE_LETTERS: Record<string, MarkerType> = {
	Q: 'single',
	A: 'paired',
	B: 'paired',
	C: 'triple',
	D: 'triple',
	E: 'triple'
};

export function readMarkerRows(format: ImportFormat, text: string): ReadRows<MarkerRow> {
	const { rows, rejected } = sourceRows(format, text, MARKER_COLUMNS);
	const result: ReadRows<MarkerRow> = { accepted: [], rejected };
	const seen = new Map<string, number>();
	for (const row of rows) {
		const problems: string[] = [];
		const number = row.get('number');
		uniqueKey('number', number, row.row, seen, problems);
		if (number && !/^[0-9A-Za-z-]{1,20}$/.test(number))
			problems.push(`number "${number}" must be up to 20 letters, digits or hyphens`);
		const rawType = row.get('marker_type');
		const markerType = (MARKER_TYPES as readonly string[]).includes(rawType)
			? (rawType as MarkerType)
			: TYPE_LETTERS[rawType.toUpperCase()];
		if (!rawType) problems.push('marker_type is missing');
		else if (!markerType) problems.push(`marker_type "${rawType}" is not single, paired, triple or Q/A–E`);
		const lineCode = textField(row, 'line_code', 40, true, problems);
		const rawCondition = row.get('condition') || 'intact';
		if (!(INSPECTION_RESULTS as readonly string[]).includes(rawCondition))
			problems.push(`condition "${rawCondition}" is not one of ${INSPECTION_RESULTS.join(', ')}`);
		const landmarks = textField(row, 'landmarks', 500, false, problems);
		const position = rowPosition(row, problems);
		if (problems.length > 0 || !lineCode || !position) {
			result.rejected.push({ row: row.row, reason: problems.join('; ') });
			continue;
		}
		result.accepted.push({
			row: row.row,
			number,
			markerType,
			lineCode,
			condition: rawCondition as MarkerCondition,
			landmarks,
			position
		});
	}
	return inFileOrder(result);
}

const COLUMNS = ['number', 'marker_type', 'line_code', 'condition', 'landmarks', 'lon', 'lat'];

export function markersCsv(markers: BoundaryMarker[]): string {
	const lines = markers.map((m) =>
		csvLine([m.number, m.markerType, m.lineCode, m.condition, m.landmarks, m.position[0], m.position[1]])
	);
	return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export function markersGeoJson(markers: BoundaryMarker[]): FeatureCollection<Point> {
	return {
		type: 'FeatureCollection',
		features: markers.map((m): Feature<Point> => ({
			type: 'Feature',
			id: m.number,
			geometry: { type: 'Point', coordinates: m.position },
			properties: {
				marker_id: m.id,
				number: m.number,
				marker_type: m.markerType,
				line_code: m.lineCode,
				condition: m.condition,
				landmarks: m.landmarks
			}
		}))
	};
}
