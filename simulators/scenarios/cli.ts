/**
 * `npm run sim:scenario -- NAME --url http://127.0.0.1:3000 --seed S [--mqtt URL]`
 *
 * Runs one scripted scenario against a running platform and prints its summary; exits 1 when a
 * message the broker acknowledged was not stored. The same seed plays the same scenario.
 * broker-restart brings its own platform and Mosquitto (stage.ts) on the database DATABASE_URL names.
 */
import { parseArgs } from 'node:util';
import { SCENARIOS, formatSummary, runScenario, startStage, type Stage } from './index';
import { hasMosquitto, MOSQUITTO_BINARY } from './mosquitto';

const USAGE = `usage: npm run sim:scenario -- NAME [--url URL] [--seed S] [--mqtt URL] [--households N] [--speed X] [--minutes M] [--max-seconds S] [--stage]
  NAME             ${Object.keys(SCENARIOS).join(' | ')}
  --url URL        the platform (default http://127.0.0.1:3000)
  --seed S         the same seed plays the same scenario (default 1)
  --mqtt URL       the broker (default: the embedded one, as /api/health names it)
  --households N   override the scenario's fleet size
  --speed X        override its simulated seconds per real second
  --minutes M      override its simulated length
  --max-seconds S  stress: real seconds the steps of rising load may take (default 60)
  --outage S       broker-restart: real seconds the broker is away (default 30)
  --settle S       seconds to wait for the platform to catch up at the end (default 20)
  --district CODE  the district (default 350203)
  --stage          ignore --url and --mqtt: start Mosquitto and a platform for this run (below), so no
                   other platform on a shared broker's ingest subscription takes the messages
broker-restart always stages: it starts Mosquitto (shipped config, spare port) and a platform on it
itself, on the PostgreSQL database DATABASE_URL names.`;

function fail(message: string): never {
	console.error(`sim:scenario: ${message}\n${USAGE}`);
	process.exit(2);
}

const { values, positionals } = (() => {
	try {
		return parseArgs({
			allowPositionals: true,
			options: {
				url: { type: 'string', default: 'http://127.0.0.1:3000' },
				seed: { type: 'string', default: '1' },
				mqtt: { type: 'string' },
				households: { type: 'string' },
				speed: { type: 'string' },
				minutes: { type: 'string' },
				outage: { type: 'string', default: '30' },
				'max-seconds': { type: 'string', default: '60' },
				settle: { type: 'string', default: '20' },
				district: { type: 'string', default: '350203' },
				stage: { type: 'boolean', default: false },
				help: { type: 'boolean', default: false }
			}
		});
	} catch (error) {
		return fail((error as Error).message);
	}
})();
if (values.help) {
	console.log(USAGE);
	process.exit(0);
}
const scenario = SCENARIOS[positionals[0] ?? ''];
if (!scenario) fail(positionals[0] ? `no scenario named ${positionals[0]}` : 'name a scenario');
const number = (name: string, text: string | undefined, min: number) => {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!(value >= min)) fail(`--${name} must be a number from ${min}`);
	return value;
};
const households = number('households', values.households, 1);
if (households !== undefined && !Number.isInteger(households)) fail('--households must be a whole number');
if (!/^\d{6}$/.test(values.district)) fail('--district must be a 6-digit code');

const log = (line: string) => console.log(`sim:scenario: ${line}`);
const started = Date.now();
let stage: Stage | undefined;
if (scenario.name === 'broker-restart' || values.stage) {
	const who = values.stage ? '--stage' : 'broker-restart';
	if (!process.env.DATABASE_URL) fail(`${who} needs DATABASE_URL (a PostgreSQL database)`);
	if (!hasMosquitto) fail(`${who} needs Mosquitto (${MOSQUITTO_BINARY})`);
	stage = await startStage({ databaseUrl: process.env.DATABASE_URL, log }).catch((error: Error) =>
		fail(error.message)
	);
}
const result = await runScenario(scenario, {
	url: stage?.url ?? values.url,
	seed: values.seed,
	mqttUrl: stage?.mqttUrl ?? values.mqtt,
	broker: stage?.broker,
	outageS: number('outage', values.outage, 1),
	maxSeconds: number('max-seconds', values['max-seconds'], 5),
	districtCode: values.district,
	households,
	speed: number('speed', values.speed, 1),
	minutes: number('minutes', values.minutes, 1),
	settleS: number('settle', values.settle, 0),
	log
})
	.catch((error: Error) => error)
	.finally(() => stage?.close());
if (result instanceof Error) fail(result.message);
console.log(
	`\n${formatSummary(result.summary)}\n  real time:                     ${Math.round((Date.now() - started) / 1000)} s`
);
process.exit(result.summary.notStored.total === 0 ? 0 : 1);
