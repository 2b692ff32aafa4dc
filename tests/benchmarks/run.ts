/**
 * `npm run bench`: runs every benchmark and prints one markdown table of figures, the same table the
 * README's "Measured figures" records.
 */
import { cpus } from 'node:os';
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

const rows: BenchRow[] = [];
for (const [name, bench] of BENCHES) {
	process.stderr.write(`bench: ${name}…\n`);
	rows.push(...(await bench()));
}
console.log(
	`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}\n`
);
console.log('| figure | value |\n|---|---|');
for (const row of rows) console.log(`| ${row.name} | ${row.value} |`);
