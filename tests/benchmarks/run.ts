/**
 * `npm run bench`: runs every benchmark and prints one markdown table of figures, the same table the
 * README's "Measured figures" records. Each benchmark runs in a process of its own: what one leaves
 * on the heap would otherwise tax the next one's garbage collection (the ingest benchmark, run after
 * the gazetteer's 100,000 names, measured slower than on its own). `npm run bench -- '<name>'` runs one.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchAlertLatency } from './alert-latency';
import { benchFacilityCircles } from './facility-circles';
import { benchGazetteerSearch } from './gazetteer-search';
import { benchIngestThroughput } from './ingest-throughput';
import { benchOsmWalkNetwork } from './osm-walk-network';
import { benchPlanning } from './planning';

export interface BenchRow {
	name: string;
	value: string;
}

const BENCHES: [string, () => Promise<BenchRow[]>][] = [
	['OSM walking graph', benchOsmWalkNetwork],
	['facility circles', benchFacilityCircles],
	['coverage and siting', benchPlanning],
	['gazetteer search', benchGazetteerSearch],
	['ingest throughput', benchIngestThroughput],
	['alert latency', benchAlertLatency]
];

const only = process.argv[2];
if (only !== undefined) {
	const bench = BENCHES.find(([name]) => name === only);
	if (!bench)
		throw new Error(`no benchmark named "${only}"; there are: ${BENCHES.map(([n]) => n).join(', ')}`);
	process.stderr.write(`bench: ${only}…\n`);
	process.stdout.write(`${JSON.stringify(await bench[1]())}\n`);
} else {
	const rows: BenchRow[] = [];
	for (const [name] of BENCHES) {
		const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), name], {
			stdio: ['ignore', 'pipe', 'inherit'],
			encoding: 'utf8'
		});
		if (child.status !== 0)
			throw new Error(`benchmark "${name}" failed (exit ${child.status ?? child.signal})`);
		rows.push(...(JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BenchRow[]));
	}
	console.log(
		`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}\n`
	);
	console.log('| figure | value |\n|---|---|');
	for (const row of rows) console.log(`| ${row.name} | ${row.value} |`);
}
