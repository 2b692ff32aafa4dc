/**
 * A throwaway PostgreSQL 15 cluster for one test file, for tests that must stop and start the
 * database under the app (the run's own database is shared and must stay up). initdb into a temp
 * folder, then pg_ctl on a spare port, listening on 127.0.0.1 only, with its socket in that folder.
 * PostGIS comes from the machine's extension files (Debian: postgresql-15-postgis-3), so
 * `create extension postgis` works in it as in the real one.
 *
 * initdb and postgres refuse to run as root: as root the cluster runs as the `postgres` OS user
 * (through runuser), otherwise as the current user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from './wait';
import { sparePort } from '../../simulators/ports';

export const POSTGRES_BIN_DIR = process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
export const hasPostgresServer =
	existsSync(path.join(POSTGRES_BIN_DIR, 'initdb')) && existsSync(path.join(POSTGRES_BIN_DIR, 'pg_ctl'));

/** How pg_ctl stops the server: `fast` rolls back open transactions, `immediate` is a crash. */
export type ShutdownMode = 'smart' | 'fast' | 'immediate';

export interface PostgresCluster {
	/** Superuser URL of the cluster's `postgres` database. */
	url: string;
	port: number;
	/** Stops the server; its data stays, and `start` brings it back on the same port. */
	stop(mode?: ShutdownMode): Promise<void>;
	start(): Promise<void>;
	/** Stops the server if it runs (immediate) and deletes its files. Safe to call twice. */
	destroy(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

/** Runs one of the server's programs as the cluster's owner; rejects with its output when it fails. */
function runAsOwner(program: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<string> {
	const binary = path.join(POSTGRES_BIN_DIR, program);
	const [command, commandArgs] = asRoot
		? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
		: [binary, args];
	return new Promise((resolve, reject) =>
		// cwd: the owner may not be allowed into the test's own working directory.
		execFile(command, commandArgs, { cwd, timeout: timeoutMs }, (error, stdout, stderr) =>
			error ? reject(new Error(`${program} failed: ${error.message}\n${stdout}${stderr}`)) : resolve(stdout)
		)
	);
}

/**
 * Clusters still there when the process exits (a test runner dying before afterAll): stopped and
 * deleted on its way out, so no server is left holding a port. Data folder → its temp folder.
 */
const running = new Map<string, string>();
process.once('exit', () => {
	for (const [dataDir, dir] of running) {
		try {
			const pgCtl = path.join(POSTGRES_BIN_DIR, 'pg_ctl');
			const args = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
			if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
			else execFileSync(pgCtl, args, { stdio: 'ignore' });
		} catch {
			// Already stopped, or nothing more can be done on the way out.
		}
		rmSync(dir, { recursive: true, force: true });
	}
});

export async function startPostgresCluster(): Promise<PostgresCluster> {
	const dir = await mkdtemp(path.join(tmpdir(), 'carecircle-pg-'));
	const dataDir = path.join(dir, 'data');
	const logFile = path.join(dir, 'postgres.log');
	// mkdtemp made it 0700 for root; the owner needs it (the temp dir itself is open to everyone).
	if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
	let port = 0;
	let up = false;

	const logTail = async () =>
		(await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');

	const start = async () => {
		// Counted as running from here: a server that came up too slowly for pg_ctl is still stopped later.
		up = true;
		running.set(dataDir, dir);
		try {
			const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`;
			await runAsOwner(
				'pg_ctl',
				['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options, 'start'],
				dir
			);
		} catch (error) {
			throw new Error(`${(error as Error).message}\nserver log:\n${await logTail()}`);
		}
		// pg_ctl -w already waited for "ready"; this checks the TCP listener the app will use.
		await waitFor(
			`PostgreSQL on 127.0.0.1:${port} to accept connections`,
			() =>
				runAsOwner('pg_isready', ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], dir).then(
					() => true,
					() => false
				),
			30_000
		);
	};

	const stop = async (mode: ShutdownMode = 'fast') => {
		if (!up) return;
		await runAsOwner('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop'], dir);
		up = false;
		running.delete(dataDir);
	};

	try {
		await runAsOwner(
			'initdb',
			['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
			dir,
			120_000
		);
		// A port can be taken between sparePort and the server binding it: then another one.
		for (let attempt = 1; ; attempt++) {
			port = await sparePort();
			try {
				await start();
				break;
			} catch (error) {
				await stop('immediate').catch(() => {});
				if (attempt === 3) throw error;
			}
		}
	} catch (error) {
		await stop('immediate').catch(() => {});
		await rm(dir, { recursive: true, force: true });
		throw error;
	}

	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		port,
		stop,
		start,
		async destroy() {
			await stop('immediate').catch(() => {});
			await rm(dir, { recursive: true, force: true });
		}
	};
}
