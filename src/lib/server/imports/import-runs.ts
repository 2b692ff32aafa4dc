import type { Sql } from '../db/client';
import type { Rejected } from './import-result';

export interface ImportRun {
	id: number;
	kind: string;
	fileName: string;
	crs: string;
	districtCode: string;
	dryRun: boolean;
	accepted: number;
	rejected: number;
	rejections: Rejected[];
	summary: Record<string, string | number>;
	startedAt: Date;
	finishedAt: Date;
}

/** The latest import runs of a district, newest first, with their rejected rows. */
export async function recentImportRuns(sql: Sql, districtCode: string, limit = 50): Promise<ImportRun[]> {
	const rows = await sql<(ImportRun & { id: string })[]>`
		select id, kind, file_name, crs, district_code, dry_run, accepted, rejected, rejections, summary, started_at, finished_at
		from import_runs where district_code = ${districtCode}
		order by started_at desc limit ${limit}`;
	return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
