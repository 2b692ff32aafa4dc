/** Builds the app's services exactly as the process entry does, against the run's database and broker. */
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/lib/server/config';
import { createLogger } from '../../src/lib/server/log/logger';
import { startServices, type Services } from '../../src/lib/server/services';

export function testConfig(env: Record<string, string> = {}): Config {
	return loadConfig({
		DATABASE_URL: inject('databaseUrl'),
		MQTT_URL: inject('mqttUrl'),
		LOG_LEVEL: 'silent',
		...env
	});
}

export function startTestServices(env: Record<string, string> = {}): Promise<Services> {
	const config = testConfig(env);
	return startServices(config, createLogger(config.logLevel));
}
