/**
 * `npm run sim:devices -- --households N --url http://127.0.0.1:3000 --seed S [--speed X] [--mqtt URL]`
 *
 * Registers N simulated households with their devices through the platform's API and runs every
 * device as its own MQTT client until stopped. Ctrl-C drops every connection without a goodbye, as a
 * power cut would: the broker then sends each device's last will and the platform marks it offline.
 */
import { parseArgs } from 'node:util';
import { startFleet } from './fleet';

const USAGE = `usage: npm run sim:devices -- [--households N] [--url URL] [--seed S] [--speed X] [--mqtt URL]
  --households N   households to simulate (default 100)
  --url URL        the platform (default http://127.0.0.1:3000)
  --seed S         the same seed gives the same households, devices and event sequence (default 1)
  --speed X        simulated seconds per real second, e.g. 600 for a day in 2.4 minutes (default 1)
  --mqtt URL       the broker (default: the embedded one, as /api/health names it)
  --district CODE  the district (default 350203)
  --start ISO      simulated time to start at (default: now)`;

function fail(message: string): never {
	console.error(`sim:devices: ${message}\n${USAGE}`);
	process.exit(1);
}

const { values } = (() => {
	try {
		return parseArgs({
			options: {
				households: { type: 'string', default: '100' },
				url: { type: 'string', default: 'http://127.0.0.1:3000' },
				seed: { type: 'string', default: '1' },
				speed: { type: 'string', default: '1' },
				mqtt: { type: 'string' },
				district: { type: 'string', default: '350203' },
				start: { type: 'string' },
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
const households = Number(values.households);
if (!Number.isInteger(households) || households < 1) fail('--households must be a whole number from 1');
const speed = Number(values.speed);
if (!(speed >= 1)) fail('--speed must be a number from 1');
if (!/^\d{6}$/.test(values.district)) fail('--district must be a 6-digit code');
const startAt = values.start ? new Date(values.start) : undefined;
if (startAt && Number.isNaN(startAt.getTime()))
	fail('--start must be an ISO 8601 time, e.g. 2026-11-29T06:00:00+08:00');

const log = {
	info: (m: string) => console.log(`sim:devices: ${m}`),
	warn: (m: string) => console.warn(`sim:devices: ${m}`)
};
const fleet = await startFleet({
	url: values.url,
	households,
	seed: values.seed,
	speed,
	mqttUrl: values.mqtt,
	districtCode: values.district,
	startAt,
	log
}).catch((error: Error) => fail(error.message));

const report = () => {
	const s = fleet.stats();
	const events = Object.entries(s.events)
		.map(([type, n]) => `${type} ${n}`)
		.join(', ');
	log.info(
		`${s.connected}/${s.devices} devices online; ${s.telemetry} telemetry, events: ${events || 'none yet'}` +
			`; ${s.commands} commands received` +
			(s.resent ? `; ${s.resent} sent again after PUBACK 0x10 (nobody subscribed)` : '') +
			(s.publishErrors ? `; ${s.publishErrors} publish errors` : '')
	);
};
setInterval(report, 10_000);
const end = () => {
	report();
	fleet.kill();
	log.info('connections dropped: the broker sends each device’s last will');
	setTimeout(() => process.exit(0), 200);
};
process.once('SIGINT', end);
process.once('SIGTERM', end);
