/**
 * Import (with a dry run) and export of the district's gazetteer. An import is all or nothing: the
 * dry run and the real run check every row the same way (the file's own rules, then the database's:
 * duplicates in the street, inside the district, duplicates within the file) and the real run writes
 * nothing while any row is bad; good files become pending proposals (kind 'import') for a reviewer.
 */
import {
	gazetteerCsv,
	gazetteerGeoJson,
	parseGazetteerFile,
	type ExchangeFormat,
	type RejectedRow
} from '../../gazetteer/exchange';
import type { PlaceRecord } from '../../gazetteer/record';
import type { Sql } from '../db/client';
import type { GazetteerActor } from './actor';
import { completeRecord, insertProposal, loadReadings, publishedPlaces, ruleViolations } from './places';

export interface ImportReport {
	dryRun: boolean;
	accepted: number;
	rejected: RejectedRow[];
	/** Ids of the proposals written (empty on a dry run or a refused file). */
	created: number[];
}

export async function importPlaces(
	sql: Sql,
	districtCode: string,
	text: string,
	format: ExchangeFormat,
	actor: GazetteerActor,
	options: { dryRun: boolean }
): Promise<ImportReport> {
	const parsed = parseGazetteerFile(text, format);
	const rejected = [...parsed.rejected];
	const readings = await loadReadings(sql);
	const seen = new Map<string, number>();
	const records: PlaceRecord[] = [];
	for (const { row, input } of parsed.rows) {
		const record = await completeRecord(sql, districtCode, input, null, readings);
		records.push(record);
		const messages = (await ruleViolations(sql, districtCode, undefined, record)).map((v) => v.message);
		const key = `${record.classCode}|${record.regionCode?.slice(0, 9) ?? ''}|${record.standardName}`;
		if (seen.has(key)) messages.push(`duplicate of row ${seen.get(key)} in this file`);
		else seen.set(key, row);
		if (messages.length) rejected.push({ row, messages });
	}
	rejected.sort((a, b) => a.row - b.row);
	const bad = new Set(rejected.map((r) => r.row));
	const report: ImportReport = {
		dryRun: options.dryRun,
		accepted: parsed.rows.filter((r) => !bad.has(r.row)).length,
		rejected,
		created: []
	};
	if (options.dryRun || rejected.length) return report;
	// All or nothing: a failure half-way leaves no proposal behind.
	await sql.begin(async (tx) => {
		for (const record of records)
			report.created.push(
				(await insertProposal(tx as unknown as Sql, districtCode, record, actor, 'import', 'import')).id
			);
	});
	return report;
}

export async function exportPlaces(sql: Sql, districtCode: string, format: ExchangeFormat): Promise<string> {
	const places = (await publishedPlaces(sql, districtCode)).filter((p) => p.status !== 'under_review');
	return format === 'csv' ? gazetteerCsv(places) : JSON.stringify(gazetteerGeoJson(places));
}
