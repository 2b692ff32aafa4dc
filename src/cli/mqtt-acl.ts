/**
 * `npm run mqtt:acl -- --out DIR`: writes Mosquitto's `passwords` and `acl` files for every
 * registered device (the device listener) and `platform-passwords` and `platform-acl` for the
 * platform login (MQTT_USERNAME / MQTT_PASSWORD, the platform listener). Point Mosquitto at them with
 * deploy/mosquitto/mosquitto.conf and send it SIGHUP to reload after devices change.
 */
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../lib/server/config';
import { openDatabase } from '../lib/server/db/connect';
import { applyMigrations } from '../lib/server/db/migrate';
import { mosquittoHash } from '../lib/server/devices/credentials';
import { brokerHashes } from '../lib/server/devices/registry';
import { StartupError } from '../lib/server/errors';
import {
	MOSQUITTO_FILE_NAMES,
	mosquittoFiles,
	writeMosquittoFiles
} from '../lib/server/mqtt/mosquitto-files';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
try {
	if (!values.out) throw new ConfigError('usage: npm run mqtt:acl -- --out DIR');
	const config = loadConfig();
	if (!config.mqttUsername || !config.mqttPassword) {
		throw new ConfigError(
			'MQTT_USERNAME and MQTT_PASSWORD must be set: they become the platform login at Mosquitto'
		);
	}
	const database = await openDatabase(config);
	try {
		await applyMigrations(database.sql);
		const devices = await brokerHashes(database.sql);
		const files = mosquittoFiles(devices, {
			username: config.mqttUsername,
			brokerHash: mosquittoHash(config.mqttPassword)
		});
		await mkdir(values.out, { recursive: true });
		await writeMosquittoFiles(values.out, files);
		console.log(
			`wrote ${Object.values(MOSQUITTO_FILE_NAMES).join(', ')} for ${devices.length} devices and the platform to ${values.out}`
		);
	} finally {
		await database.close();
	}
} catch (error) {
	if (error instanceof StartupError || error instanceof ConfigError) {
		console.error(`mqtt:acl: ${error.message}`);
		process.exit(1);
	}
	throw error;
}
