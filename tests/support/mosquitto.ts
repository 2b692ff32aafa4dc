/**
 * A real Mosquitto for one test file, started with the shipped deploy/mosquitto/mosquitto.conf on
 * spare ports (simulators/scenarios/mosquitto.ts, shared with the broker-restart scenario), with
 * password and ACL files generated from the registry the way `npm run mqtt:acl` writes them.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasMosquitto, MOSQUITTO_BINARY, startMosquitto } from '../../simulators/scenarios/mosquitto';
import type { Sql } from '../../src/lib/server/db/client';
import { mosquittoHash } from '../../src/lib/server/devices/credentials';
import { brokerHashes } from '../../src/lib/server/devices/registry';
import { mosquittoFiles, writeMosquittoFiles } from '../../src/lib/server/mqtt/mosquitto-files';

export { hasMosquitto, MOSQUITTO_BINARY };

export interface TestMosquitto {
	/** The device listener: a device's client id is its user name there. */
	url: string;
	/** The platform listener: MQTT_URL of the platform's processes, and where `platform` logs in. */
	platformUrl: string;
	platform: { username: string; password: string };
	/** Where the files, the config and Mosquitto's persistence live. */
	dir: string;
	/** Writes the files again from the registry and has Mosquitto reread them (SIGHUP). */
	reload(): Promise<void>;
	/** Stops it (SIGTERM: it saves its persistence) and starts it again on the same port and files. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

export async function startTestMosquitto(sql: Sql): Promise<TestMosquitto> {
	const platform = { username: 'carecircle-platform', password: `pw-${Date.now().toString(36)}` };
	const dir = await mkdtemp(path.join(tmpdir(), 'carecircle-mosquitto-'));
	const writeFiles = async () =>
		writeMosquittoFiles(
			dir,
			mosquittoFiles(await brokerHashes(sql), {
				username: platform.username,
				brokerHash: mosquittoHash(platform.password)
			})
		);
	await writeFiles();
	const broker = await startMosquitto(dir, platform);
	return {
		url: broker.url,
		platformUrl: broker.platformUrl,
		platform,
		dir,
		reload: async () => {
			await writeFiles();
			broker.reload();
		},
		restart: async () => {
			await broker.stop();
			await broker.start();
		},
		stop: () => broker.close()
	};
}
