import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/lib/server/db/embedded';
import { runServerToExit } from '../support/spawn-server';

/** One line on stderr, no stack trace, exit code 1. */
function expectOneClearLine(result: { code: number | null; stderr: string }, pattern: RegExp) {
	expect(result.code).toBe(1);
	const lines = result.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(pattern);
	expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('startup with a misconfigured environment', () => {
	it('rejects a malformed DATABASE_URL naming the variable', async () => {
		const result = await runServerToExit({ DATABASE_URL: 'not a url' });
		expectOneClearLine(result, /^carecircle: Invalid configuration: DATABASE_URL must be a URL/);
	});

	it('stops with one line when the database cannot be reached', async () => {
		const result = await runServerToExit({
			DATABASE_URL: 'postgres://nobody:pw@127.0.0.1:9/none',
			MQTT_URL: inject('mqttUrl')
		});
		expectOneClearLine(
			result,
			/^carecircle: Cannot connect to the database at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:9\/none/
		);
	});

	it('stops with one line when the broker cannot be reached', async () => {
		const result = await runServerToExit({
			DATABASE_URL: inject('databaseUrl'),
			MQTT_URL: 'mqtt://127.0.0.1:9',
			MQTT_CONNECT_TIMEOUT_MS: '2000',
			SEED_DISTRICT_DATA: 'false'
		});
		expectOneClearLine(result, /^carecircle: Cannot connect to the MQTT broker at mqtt:\/\/127\.0\.0\.1:9/);
	});

	it('stops with one line when Redis cannot be reached, hiding its password', async () => {
		const result = await runServerToExit({
			DATABASE_URL: inject('databaseUrl'),
			MQTT_URL: inject('mqttUrl'),
			REDIS_URL: 'redis://:secret@127.0.0.1:9',
			MQTT_CONNECT_TIMEOUT_MS: '2000',
			SEED_DISTRICT_DATA: 'false',
			ROLES: 'ingest'
		});
		expectOneClearLine(result, /^carecircle: Cannot connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:9 /);
		expect(result.stderr).not.toContain('secret');
	});

	describe('against a database without PostGIS', () => {
		let plain: EmbeddedPostgres;
		beforeAll(async () => {
			plain = await startEmbeddedPostgres({ withPostgis: false });
		});
		afterAll(async () => {
			await plain?.close();
		});

		it('stops with one line saying PostGIS is required', async () => {
			const result = await runServerToExit({ DATABASE_URL: plain.url, MQTT_URL: inject('mqttUrl') });
			expectOneClearLine(result, /^carecircle: PostGIS 3 is required but could not be enabled/);
		});
	});
});
