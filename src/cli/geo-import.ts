/**
 * `npm run geo:import -- <kind> <file> [--crs gcj02] [--dry-run] [--district 350203] [--provenance official]`
 * Imports boundaries (GeoJSON or zipped Shapefile), an OpenStreetMap extract (.osm.pbf or .osm),
 * facilities or population cells (CSV) into the configured database. Prints every rejected row with
 * its reason; the good rows are imported. Exit 0 when the run completed (even with rejections).
 */
import { readFile } from 'node:fs/promises';
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

const USAGE = `usage: npm run geo:import -- <${IMPORT_KINDS.join('|')}> <file> [--crs ${CRS_NAMES.join('|')}] [--dry-run] [--district CODE] [--provenance official|derived|modelled]`;

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
		provenance: { type: 'string' }
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
			provenance: values.provenance as Provenance | undefined
		});
		for (const rejection of report.rejected) {
			const where =
				rejection.row === 0
					? 'file'
					: kind === 'facilities' || kind === 'population' || kind === 'households'
						? `line ${rejection.row}`
						: `feature ${rejection.row}`;
			console.log(`rejected ${where}: ${rejection.reason}`);
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
