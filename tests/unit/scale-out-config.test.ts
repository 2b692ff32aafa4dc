import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/server/config';

describe('scale-out settings', () => {
	it('keeps pushes in one process and sessions per run when neither Redis nor a node name is set', () => {
		const config = loadConfig({});
		expect(config.redisUrl).toBeUndefined();
		expect(config.redisKeyPrefix).toBe('carecircle');
		expect(config.nodeName).toBeUndefined();
	});

	it('reads the Redis URL, its channel prefix and a stable node name', () => {
		const config = loadConfig({
			REDIS_URL: 'redis://127.0.0.1:6379',
			REDIS_KEY_PREFIX: 'siming:prod',
			NODE_NAME: 'ingest-2'
		});
		expect(config).toMatchObject({
			redisUrl: 'redis://127.0.0.1:6379',
			redisKeyPrefix: 'siming:prod',
			nodeName: 'ingest-2'
		});
	});

	it('refuses a Redis URL of another scheme without echoing its password, and a node name with spaces', () => {
		expect(() => loadConfig({ REDIS_URL: 'http://user:secret@cache:6379' })).toThrowError(
			/^Invalid configuration: REDIS_URL must be a URL starting with redis:\/\/ or rediss:\/\/ \(got "http:\/\/user:\*\*\*@cache:6379"\)$/
		);
		expect(() => loadConfig({ NODE_NAME: 'ingest 2' })).toThrowError(/NODE_NAME must be 1 to 64 letters/);
		expect(() => loadConfig({ REDIS_KEY_PREFIX: 'a b' })).toThrowError(/REDIS_KEY_PREFIX must be/);
	});

	it('opens an operations port for a process without the web role only when METRICS_PORT is given', () => {
		expect(loadConfig({}).metricsPort).toBeUndefined();
		expect(loadConfig({ METRICS_PORT: ' ' }).metricsPort).toBeUndefined();
		expect(loadConfig({ METRICS_PORT: '9101' }).metricsPort).toBe(9101);
		expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
		expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrowError(/METRICS_PORT must be a port number/);
	});

	it('takes an ingest worker silent for 15 s for dead unless INGEST_PEER_SILENCE_S says otherwise', () => {
		expect(loadConfig({}).ingestPeerSilenceS).toBe(15);
		expect(loadConfig({ INGEST_PEER_SILENCE_S: '3' }).ingestPeerSilenceS).toBe(3);
		expect(() => loadConfig({ INGEST_PEER_SILENCE_S: '0' })).toThrowError(
			/INGEST_PEER_SILENCE_S must be a whole number of seconds/
		);
	});
});
