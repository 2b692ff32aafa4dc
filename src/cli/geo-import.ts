/**
 * `npm run geo:import -- <kind> <file> [--crs gcj02] [--dry-run] [--district 350203] [--provenance official]
 *   [--credentials-out FILE]`
 * Imports boundaries (GeoJSON or zipped Shapefile), an OpenStreetMap extract (.osm.pbf or .osm),
 * facilities, population cells, households or devices (CSV) into the configured database. Prints every
 * rejected row with its reason; the good rows are imported. Exit 0 when the run completed (even with
 * rejections). The passwords of devices the run registered (or gave a new one) are written once, to
 * a file only the current user can read: `--credentials-out`, or `<file>-credentials-run<N>.csv`.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CRS_NAMES, type Crs } from '../lib/geo/crs';
import { ConfigError, loadConfig } from '../lib/server/config';
import { openDatabase } from '../lib/server/db/connect';
import { applyMigrations } from '../lib/server/db/migrate';
import { StartupError } from '../lib/server/errors';
import {
	IMPORT_KINDS,
	ImportError,
	runImport,
	type ImportKind,
	type Provenance
} from '../lib/server/imports/run-import';
import { seedDistrict } from '../lib/server/regions/seed';

const USAGE = `usage: npm run geo:import -- <${IMPORT_KINDS.join('|')}> <file> [--crs ${CRS_NAMES.join('|')}] [--dry-run] [--district CODE] [--provenance official|derived|modelled] [--credentials-out FILE]`;

function fail(message: string): never {
	console.error(`geo:import: ${message}`);
	process.exit(1);
}

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		crs: { type: 'string', default: 'wgs84' },
		'dry-run': { type: 'boolean', default: false },
		district: { type: 'string' },
		provenance: { type: 'string' },
		'credentials-out': { type: 'string' }
	}
});
const [kind, file] = positionals;
if (!kind || !file || positionals.length > 2) fail(USAGE);
if (!(IMPORT_KINDS as readonly string[]).includes(kind)) fail(`unknown kind "${kind}"; ${USAGE}`);
if (!(CRS_NAMES as readonly string[]).includes(values.crs!))
	fail(`--crs must be one of ${CRS_NAMES.join(', ')}`);
if (values.provenance && !['official', 'derived', 'modelled'].includes(values.provenance)) {
	fail('--provenance must be official, derived or modelled');
}

if (values['credentials-out'] && existsSync(values['credentials-out'])) {
	fail(`${values['credentials-out']} exists already; name a new file for the device passwords`);
}

try {
	const config = loadConfig();
	const bytes = new Uint8Array(await readFile(file).catch(() => fail(`cannot read ${file}`)));
	const database = await openDatabase(config);
	try {
		await applyMigrations(database.sql);
		const districtCode = values.district ?? config.districtCode;
		await seedDistrict(database.sql, districtCode);
		const report = await runImport(database.sql, {
			kind: kind as ImportKind,
			fileName: file,
			bytes,
			crs: values.crs as Crs,
			districtCode,
			dryRun: values['dry-run']!,
			provenance: values.provenance as Provenance | undefined,
			actor: `cli:${userInfo().username}@${hostname()}`
		});
		for (const rejection of report.rejected) {
			const where =
				rejection.row === 0
					? 'file'
					: kind === 'boundaries'
						? `feature ${rejection.row}`
						: `line ${rejection.row}`;
			console.log(`rejected ${where}: ${rejection.reason}`);
		}
		if (report.credentials.length > 0) {
			const out =
				values['credentials-out'] ?? `${file.replace(/\.csv$/i, '')}-credentials-run${report.runId}.csv`;
			const csv =
				['device_id,secret', ...report.credentials.map((c) => `${c.id},${c.secret}`)].join('\n') + '\n';
			try {
				await writeFile(out, csv, { mode: 0o600, flag: 'wx' });
				console.log(
					`wrote the passwords of ${report.credentials.length} devices to ${path.resolve(out)}: they are not stored anywhere else; hand them to the installers, then delete the file`
				);
			} catch (error) {
				// The devices are registered already: these passwords must reach the operator one way or the other.
				console.log(
					`could not write ${out} (${(error as Error).message}); the device passwords, shown once:`
				);
				console.log(csv);
			}
		}
		const summary = Object.entries(report.summary)
			.map(([key, value]) => `${key}=${value}`)
			.join(' ');
		console.log(
			`${report.dryRun ? 'dry run, nothing written: ' : ''}${kind} from ${file}: ${report.accepted} accepted, ${report.rejected.length} rejected (${summary}); recorded as import run ${report.runId}`
		);
	} finally {
		await database.close();
	}
} catch (error) {
	if (error instanceof StartupError || error instanceof ConfigError || error instanceof ImportError)
		fail(error.message);
	throw error;
}
