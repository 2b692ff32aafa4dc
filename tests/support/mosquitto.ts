/**
 * A real Mosquitto for one test file, started with the shipped deploy/mosquitto/mosquitto.conf on a
 * spare port (simulators/scenarios/mosquitto.ts, shared with the broker-restart scenario), with
 * password and ACL files generated from the registry the way `npm run mqtt:acl` writes them.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasMosquitto, MOSQUITTO_BINARY, startMosquitto } from '../../simulators/scenarios/mosquitto';
import type { Sql } from '../../src/lib/server/db/client';
import { mosquittoHash } from '../../src/lib/server/devices/credentials';
import { brokerHashes } from '../../src/lib/server/devices/registry';
import { mosquittoFiles } from '../../src/lib/server/mqtt/mosquitto-files';

export { hasMosquitto, MOSQUITTO_BINARY };

export interface TestMosquitto {
	url: string;
	platform: { username: string; password: string };
	/** Stops it (SIGTERM: it saves its persistence) and starts it again on the same port and files. */
	restart(): Promise<void>;
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
	const broker = await startMosquitto(dir, platform);
	return {
		url: broker.url,
		platform,
		restart: async () => {
			await broker.stop();
			await broker.start();
		},
		stop: () => broker.close()
	};
}
