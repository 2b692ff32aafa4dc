/**
 * Runs the real process entry (src/server.ts) in a child process, as `npm start` does, but without
 * the demo fleet (DEMO=0) unless a test asks for it, and with the demo accounts (one per role) all
 * sharing TEST_PASSWORD so tests log in through tests/support/auth.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_PASSWORD } from './auth';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface Exited {
	code: number | null;
	stdout: string;
	stderr: string;
}

export function spawnServer(env: Record<string, string>): ChildProcess {
	return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
		cwd: PROJECT_ROOT,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			LOG_LEVEL: 'info',
			DEMO: '0',
			DEMO_ACCOUNTS: '1',
			DEMO_PASSWORD: TEST_PASSWORD,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
}

/** Collects the child's output until it exits (or kills it after `timeoutMs`). */
export function runServerToExit(env: Record<string, string>, timeoutMs = 60_000): Promise<Exited> {
	const child = spawnServer(env);
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (chunk) => (stdout += chunk));
	child.stderr!.on('data', (chunk) => (stderr += chunk));
	return new Promise((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Waits for the "ready at http://..." log line and returns the URL. */
export function waitForReady(child: ChildProcess, timeoutMs = 90_000): Promise<string> {
	return new Promise((resolve, reject) => {
		let output = '';
		const timer = setTimeout(
			() => reject(new Error(`server not ready within ${timeoutMs} ms:\n${output}`)),
			timeoutMs
		);
		const onData = (chunk: Buffer) => {
			output += chunk;
			const match = /ready at (http:\/\/[^\s"]+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
		});
	});
}

export interface OwnServer {
	baseUrl: string;
	/** Stops the server (SIGTERM, waiting for its exit) and removes its data directory. */
	stop: () => Promise<void>;
}

/**
 * A server of the test's own: a fresh data directory and its own embedded broker, so no other
 * platform sharing a broker's ingest subscription takes the test's messages; the run's database
 * when DATABASE_URL is set, the embedded PGlite otherwise.
 */
export async function startOwnServer(dataDirPrefix: string): Promise<OwnServer> {
	const dataDir = await mkdtemp(path.join(tmpdir(), dataDirPrefix));
	const server = spawnServer({
		PORT: '0',
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		MQTT_EMBEDDED_PORT: '0',
		...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {})
	});
	const stop = async () => {
		if (server.exitCode === null) {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			server.kill('SIGTERM');
			await exited;
		}
		await rm(dataDir, { recursive: true, force: true });
	};
	try {
		return { baseUrl: await waitForReady(server), stop };
	} catch (failure) {
		await stop();
		throw failure;
	}
}
