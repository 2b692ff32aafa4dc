/**
 * A real Mosquitto for one test file, started with the shipped deploy/mosquitto/mosquitto.conf on a
 * spare port (the machine's own Mosquitto on 1883 keeps its stock config), with password and ACL files
 * generated from the registry the way `npm run mqtt:acl` writes them.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import type { Sql } from '../../src/lib/server/db/client';
import { mosquittoHash } from '../../src/lib/server/devices/credentials';
import { brokerHashes } from '../../src/lib/server/devices/registry';
import { mosquittoFiles } from '../../src/lib/server/mqtt/mosquitto-files';
import { PROJECT_ROOT } from './spawn-server';
import { waitFor } from './wait';
import { sparePort } from './ports';

export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';
export const hasMosquitto = existsSync(MOSQUITTO_BINARY);

export interface TestMosquitto {
	url: string;
	platform: { username: string; password: string };
	stop(): Promise<void>;
}

export async function startTestMosquitto(sql: Sql): Promise<TestMosquitto> {
	const platform = { username: 'carecircle-platform', password: `pw-${Date.now().toString(36)}` };
	const dir = await mkdtemp(path.join(tmpdir(), 'carecircle-mosquitto-'));
	const files = mosquittoFiles(await brokerHashes(sql), {
		username: platform.username,
		brokerHash: mosquittoHash(platform.password)
	});
	await writeFile(path.join(dir, 'passwords'), files.passwords, { mode: 0o600 });
	await writeFile(path.join(dir, 'acl'), files.acl);
	const port = await sparePort();
	const shipped = await readFile(path.join(PROJECT_ROOT, 'deploy/mosquitto/mosquitto.conf'), 'utf8');
	const config = shipped
		.replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
		.replaceAll('/etc/mosquitto/carecircle/', `${dir}/`)
		.replace('/var/lib/mosquitto/', `${dir}/`)
		// Started as root, Mosquitto would drop to its own user, who cannot read the test's private files.
		.concat(process.getuid?.() === 0 ? '\nuser root\n' : '');
	await writeFile(path.join(dir, 'mosquitto.conf'), config);
	const broker = spawn(MOSQUITTO_BINARY, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
	const url = `mqtt://127.0.0.1:${port}`;
	const probe = await waitFor('Mosquitto to accept the platform', () =>
		mqtt.connectAsync(url, { ...platform, clientId: 'probe', reconnectPeriod: 0 }).catch(() => null)
	);
	await probe.endAsync();
	return {
		url,
		platform,
		async stop() {
			const exited = new Promise((resolve) => broker.once('exit', resolve));
			broker.kill('SIGTERM');
			await exited;
			await rm(dir, { recursive: true, force: true });
		}
	};
}
