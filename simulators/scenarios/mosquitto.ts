/**
 * A Mosquitto the caller controls: started with the shipped deploy/mosquitto/mosquitto.conf on a spare
 * local port (the machine's own Mosquitto on 1883 keeps its stock config), its password and ACL files
 * and its persistence in a private directory. It can be stopped and started again on the same port
 * with the same persistence (the broker-restart scenario) and told to reload its files (SIGHUP) after
 * `npm run mqtt:acl` rewrote them. Used by the broker-restart stage (stage.ts) and the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mqtt from 'mqtt';
import { sparePort } from '../ports';

export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';
export const hasMosquitto = existsSync(MOSQUITTO_BINARY);
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface MosquittoLogin {
	username: string;
	password: string;
}

export interface ControlledMosquitto {
	/** The device listener (client id = user name). */
	url: string;
	/** The platform listener, where the platform's processes log in. */
	platformUrl: string;
	/** Where `passwords`, `acl`, the config and the persistence file live. */
	dir: string;
	running(): boolean;
	/** SIGTERM: Mosquitto saves its persistence and every connection drops. */
	stop(): Promise<void>;
	/** Starts it again on the same port and files; resolves once it admits `login`. */
	start(): Promise<void>;
	/** SIGHUP: rereads the password and ACL files. */
	reload(): void;
	/** Stops it and removes its directory. */
	close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `login` can connect (or rejects after `timeoutMs`). */
export async function waitForBroker(url: string, login: MosquittoLogin, timeoutMs = 15_000): Promise<void> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const probe = await mqtt
			.connectAsync(url, { ...login, clientId: `probe-${process.pid}`, reconnectPeriod: 0 })
			.catch(() => null);
		if (probe) {
			await probe.endAsync();
			return;
		}
		if (Date.now() > until) throw new Error(`Mosquitto at ${url} does not admit ${login.username}`);
		await sleep(100);
	}
}

/**
 * Starts Mosquitto in `dir`, which must already hold its password and ACL files (written by
 * `npm run mqtt:acl -- --out DIR` or mosquitto-files.ts); `login` is the platform login it must
 * admit on its platform listener, to know it is up.
 */
export async function startMosquitto(dir: string, login: MosquittoLogin): Promise<ControlledMosquitto> {
	const port = await sparePort();
	const platformPort = await sparePort();
	const shipped = await readFile(path.join(PROJECT_ROOT, 'deploy/mosquitto/mosquitto.conf'), 'utf8');
	const config = shipped
		.replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
		.replace(/^listener 1884$/m, `listener ${platformPort} 127.0.0.1`)
		.replaceAll('/etc/mosquitto/carecircle/', `${dir}/`)
		.replace('/var/lib/mosquitto/', `${dir}/`)
		// Started as root, Mosquitto would drop to its own user, who cannot read the private files.
		.concat(process.getuid?.() === 0 ? '\nuser root\n' : '');
	const configFile = path.join(dir, 'mosquitto.conf');
	await writeFile(configFile, config);
	const url = `mqtt://127.0.0.1:${port}`;
	const platformUrl = `mqtt://127.0.0.1:${platformPort}`;
	let broker: ChildProcess | null = null;

	const start = async () => {
		if (broker) return;
		const child = spawn(MOSQUITTO_BINARY, ['-c', configFile], { stdio: 'ignore' });
		broker = child;
		child.once('exit', () => {
			if (broker === child) broker = null;
		});
		await waitForBroker(platformUrl, login);
	};
	const stop = async () => {
		const child = broker;
		if (!child) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
	};
	await start();
	return {
		url,
		platformUrl,
		dir,
		running: () => broker !== null,
		stop,
		start,
		reload() {
			broker?.kill('SIGHUP');
		},
		async close() {
			await stop();
			await rm(dir, { recursive: true, force: true });
		}
	};
}
