/**
 * A platform whose broker the scenario controls, for broker-restart: a scenario cannot restart a
 * production broker, so it brings its own. It starts Mosquitto with the shipped config on a spare port
 * (mosquitto.ts), writes its password and ACL files with the platform's own `npm run mqtt:acl`, and
 * runs the platform (src/server.ts, as `npm start` does, without the demo fleet) against that broker
 * and the PostgreSQL database at `databaseUrl` (mqtt:acl is a second process on the same database, so
 * the embedded PGlite will not do). Devices the fleet registers are admitted the way an operator
 * does it: mqtt:acl again, then SIGHUP.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT, startMosquitto, waitForBroker, type MosquittoLogin } from './mosquitto';
import type { BrokerControl } from './runner';
import { useLogin } from '../platform-session';

export interface Stage {
	/** The platform's base URL. */
	url: string;
	/** The broker's URL (without a login). */
	mqttUrl: string;
	broker: BrokerControl;
	/** Stops the platform and the broker and removes their files. */
	close(): Promise<void>;
}

const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });

function run(args: string[], env: Record<string, string>): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
			cwd: PROJECT_ROOT,
			env: { ...baseEnv(), ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.once('exit', (code) =>
			code === 0 ? resolve(output) : reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`))
		);
	});
}

export async function startStage(options: {
	databaseUrl: string;
	log?: (line: string) => void;
}): Promise<Stage> {
	const log = options.log ?? (() => {});
	const platform: MosquittoLogin = {
		username: 'carecircle-platform',
		password: randomBytes(18).toString('base64url')
	};
	const dir = await mkdtemp(path.join(tmpdir(), 'carecircle-stage-'));
	const env = {
		DATABASE_URL: options.databaseUrl,
		MQTT_USERNAME: platform.username,
		MQTT_PASSWORD: platform.password
	};
	// The platform's own tool writes the files from the registry (and migrates a fresh database).
	const writeFiles = () => run(['src/cli/mqtt-acl.ts', '--out', dir], env);
	await writeFiles();
	const mosquitto = await startMosquitto(dir, platform);
	log(
		`Mosquitto (shipped config) at ${mosquitto.url} (devices), ${mosquitto.platformUrl} (platform), files in ${dir}`
	);

	// The scenario logs in as the demo administrator, with a password made for this stage.
	const admin = { username: 'admin', password: randomBytes(18).toString('base64url') };
	const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
		cwd: PROJECT_ROOT,
		env: {
			...baseEnv(),
			...env,
			MQTT_URL: mosquitto.platformUrl,
			PORT: '0',
			HOST: '127.0.0.1',
			DEMO: '0',
			DEMO_ACCOUNTS: '1',
			DEMO_PASSWORD: admin.password,
			LOG_LEVEL: 'info'
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`the platform is not ready within 90 s:\n${output}`)),
			90_000
		);
		const onData = (chunk: Buffer) => {
			// Only the tail is kept: the pipes must be drained for as long as the platform runs.
			output = (output + chunk).slice(-20_000);
			const match = /ready at (http:\/\/[^\s"]+)/.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]);
			}
		};
		server.stdout.on('data', onData);
		server.stderr.on('data', onData);
		server.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`the platform exited with ${code} before it was ready:\n${output}`));
		});
	}).catch(async (error) => {
		server.kill('SIGKILL');
		await mosquitto.close();
		throw error;
	});
	useLogin(url, admin);
	log(`platform at ${url} on that broker`);
	let closing = false;
	server.once('exit', (code, signal) => {
		if (!closing) log(`the platform exited (${code ?? signal}) during the run:\n${output.slice(-4000)}`);
	});

	return {
		url,
		mqttUrl: mosquitto.url,
		broker: {
			kind: 'mosquitto',
			stop: () => mosquitto.stop(),
			start: () => mosquitto.start(),
			async admitDevices(logins) {
				await writeFiles();
				mosquitto.reload();
				// Reloaded once the last device registered can log in.
				const last = logins.at(-1);
				if (last) await waitForBroker(mosquitto.url, { username: last.id, password: last.secret });
			}
		},
		async close() {
			closing = true;
			if (server.exitCode === null) {
				const exited = new Promise((resolve) => server.once('exit', resolve));
				server.kill('SIGTERM');
				await exited;
			}
			await mosquitto.close();
		}
	};
}
