/**
 * The platform as a benchmark runs it: the services with the given roles against DATABASE_URL (with
 * a Mosquitto started on the shipped config when one is installed) or the embedded PGlite + aedes.
 */
import { loadConfig } from '../../src/lib/server/config';
import type { Sql } from '../../src/lib/server/db/client';
import { createLogger } from '../../src/lib/server/log/logger';
import { startServices, type Services } from '../../src/lib/server/services';
import { hasMosquitto, startTestMosquitto, type TestMosquitto } from '../support/mosquitto';

export async function startBenchPlatform(options: {
	databaseUrl: string;
	/** A connection to the prepared database; the Mosquitto's device logins are read through it. */
	setup: Sql;
	roles: string;
	env?: Record<string, string>;
}): Promise<{ services: Services; mosquitto?: TestMosquitto; where: string }> {
	const mosquitto =
		process.env.DATABASE_URL && hasMosquitto ? await startTestMosquitto(options.setup) : undefined;
	const env: Record<string, string> = {
		DATABASE_URL: options.databaseUrl,
		ROLES: options.roles,
		MQTT_EMBEDDED_PORT: '0',
		...options.env
	};
	if (mosquitto) {
		Object.assign(env, {
			MQTT_URL: mosquitto.platformUrl,
			MQTT_USERNAME: mosquitto.platform.username,
			MQTT_PASSWORD: mosquitto.platform.password
		});
	}
	try {
		const services = await startServices(loadConfig(env), createLogger('silent'));
		const where = mosquitto ? 'PostgreSQL + Mosquitto on the shipped config' : 'PGlite + aedes (embedded)';
		return { services, mosquitto, where };
	} catch (error) {
		await mosquitto?.stop();
		throw error;
	}
}
