/**
 * Runs the load generator (simulators/load/publish-events.ts) in its own process: it connects its
 * devices, then publishes when told to go. Used by the ingest benchmark and the scale-out test.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PublishOrders } from '../../simulators/load/publish-events';

export interface Publisher {
	connected: Promise<void>;
	done: Promise<void>;
	go(): void;
}

export function startPublisher(orders: PublishOrders): Publisher {
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			fileURLToPath(new URL('../../simulators/load/publish-events.ts', import.meta.url)),
			JSON.stringify(orders)
		],
		{ stdio: ['pipe', 'pipe', 'inherit'] }
	);
	const lines = createInterface({ input: child.stdout! });
	const exited = new Promise<never>((_, reject) =>
		child.once('exit', (code) => reject(new Error(`publisher exited with ${code}`)))
	);
	const said = (line: string) =>
		Promise.race([
			new Promise<void>((resolve) => lines.on('line', (text) => text === line && resolve())),
			exited
		]);
	return { connected: said('connected'), done: said('done'), go: () => child.stdin!.end('go\n') };
}
