/**
 * `npm run sim:responders -- --url http://127.0.0.1:3000 --count 12 --seed 1 [--speed 10] [--district 350203] [--dispatch]`
 * Runs simulated responders against a running platform until Ctrl-C, then prints what they did.
 * `--dispatch` adds a simulated dispatcher who offers each new incident to the nearest responder.
 */
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import type { ServerHello } from '../../src/lib/realtime/events';
import { startResponders } from './index';
import { socketAuth } from '../platform-session';

const USAGE =
	'usage: npm run sim:responders -- [--url http://127.0.0.1:3000] [--count 12] [--seed 1] [--speed 1] [--district CODE] [--dispatch]';

function fail(message: string): never {
	console.error(`sim:responders: ${message}\n${USAGE}`);
	process.exit(1);
}

/** The district the platform serves, from its socket.io greeting. */
function districtOf(url: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = io(url, {
			transports: ['websocket'],
			reconnection: false,
			timeout: 10_000,
			auth: socketAuth(url)
		});
		socket.once('server:hello', (hello: ServerHello) => {
			socket.disconnect();
			resolve(hello.districtCode);
		});
		socket.once('connect_error', (error) => {
			socket.disconnect();
			reject(new Error(`cannot reach ${url}: ${error.message}`));
		});
	});
}

async function main() {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				url: { type: 'string', default: 'http://127.0.0.1:3000' },
				count: { type: 'string', default: '12' },
				seed: { type: 'string', default: '1' },
				speed: { type: 'string', default: '1' },
				district: { type: 'string' },
				dispatch: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h' }
			}
		}));
	} catch (error) {
		fail((error as Error).message);
	}
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const count = Number(values.count);
	const seed = Number(values.seed);
	const speed = Number(values.speed);
	if (!Number.isInteger(count) || count < 1) fail('--count must be a whole number ≥ 1');
	if (!Number.isInteger(seed)) fail('--seed must be a whole number');
	if (!(speed > 0)) fail('--speed must be a positive number');
	const districtCode =
		values.district ?? (await districtOf(values.url).catch((error) => fail(error.message)));
	const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
	const running = await startResponders({
		url: values.url,
		districtCode,
		count,
		seed,
		speed,
		log,
		dispatcher: values.dispatch
	});
	log(
		`${count} responders on duty in district ${districtCode} (seed ${seed}, speed ×${speed}); Ctrl-C stops`
	);
	const finish = async () => {
		process.off('SIGINT', finish);
		process.off('SIGTERM', finish);
		await running.stop();
		console.log(JSON.stringify(running.stats, null, '\t'));
		process.exit(0);
	};
	process.on('SIGINT', finish);
	process.on('SIGTERM', finish);
}

main().catch((error) => {
	console.error(`sim:responders: ${error instanceof Error ? error.message : error}`);
	process.exit(1);
});
