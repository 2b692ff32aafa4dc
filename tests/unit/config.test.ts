import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/lib/server/config';

describe('loadConfig', () => {
	it('defaults to the embedded services and all roles when nothing is set', () => {
		const config = loadConfig({});
		expect(config.databaseUrl).toBeUndefined();
		expect(config.mqttUrl).toBeUndefined();
		expect(config.roles).toEqual(['web', 'ingest', 'timers']);
		expect(config.port).toBe(3000);
		expect(config.districtCode).toBe('350203');
	});

	it('reads the real services and a subset of roles from the environment', () => {
		const config = loadConfig({
			DATABASE_URL: 'postgres://app@127.0.0.1:5432/care',
			MQTT_URL: 'mqtt://127.0.0.1:1883',
			ROLES: 'ingest, timers'
		});
		expect(config.databaseUrl).toBe('postgres://app@127.0.0.1:5432/care');
		expect(config.mqttUrl).toBe('mqtt://127.0.0.1:1883');
		expect(config.roles).toEqual(['ingest', 'timers']);
	});

	it('treats an empty variable as unset', () => {
		expect(loadConfig({ DATABASE_URL: '', MQTT_URL: ' ' }).databaseUrl).toBeUndefined();
	});

	it('names the bad variable and what it expects in one line', () => {
		expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(
			/^Invalid configuration: DATABASE_URL must be a URL starting with postgres:\/\/ or postgresql:\/\/ \(got "mysql:\/\/x"\)$/
		);
		expect(() => loadConfig({ PORT: 'eighty' })).toThrowError(/PORT must be a port number/);
		expect(() => loadConfig({ ROLES: 'web,cooking' })).toThrowError(/ROLES .*unknown: cooking/);
		expect(() => loadConfig({ DISTRICT_CODE: '3502' })).toThrowError(/DISTRICT_CODE must be a 6-digit/);
	});

	it('never echoes a password from a bad URL', () => {
		try {
			loadConfig({ MQTT_URL: 'postgres://user:secret@host/db' });
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(ConfigError);
			expect((error as Error).message).not.toContain('secret');
			expect((error as Error).message.split('\n')).toHaveLength(1);
		}
	});
});
