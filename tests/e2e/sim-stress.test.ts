/**
 * The stress scenario against the built server on its embedded defaults, kept short (--max-seconds
 * 16: a step or two of rising load): it measures at least one step, names its knee in the summary,
 * and everything it sent is stored once the platform has drained.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, formatSummary, runScenario } from '../../simulators/scenarios/index';
import { spawnServer, waitForReady } from '../support/spawn-server';

describe('the stress scenario', () => {
	let dataDir: string;
	let server: ReturnType<typeof spawnServer>;
	let baseUrl: string;

	beforeAll(async () => {
		dataDir = await mkdtemp(path.join(tmpdir(), 'carecircle-stress-'));
		server = spawnServer({
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			MQTT_EMBEDDED_PORT: '0',
			...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {})
		});
		baseUrl = await waitForReady(server);
	});

	afterAll(async () => {
		if (server && server.exitCode === null) {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			server.kill('SIGTERM');
			await exited;
		}
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	});

	it('steps the rate up within its time, names the knee, and stores everything it sent', async () => {
		const started = Date.now();
		const { summary } = await runScenario(SCENARIOS.stress, {
			url: baseUrl,
			seed: `stress-${Date.now().toString(36)}`,
			households: 6,
			maxSeconds: 16,
			settleS: 15
		});
		console.log(formatSummary(summary));
		expect(summary.notes['step 1']).toMatch(/^asked 100\/s: offered \d+\/s, acked \d+\/s/);
		expect(summary.notes.knee).toMatch(
			/^ingest (keeps up to|kept up with every step|lags from the first step)/
		);
		expect(summary.messages.sent).toBeGreaterThan(300);
		expect(summary.messages.unacknowledged).toBe(0);
		expect(summary.notStored.total).toBe(0);
		expect(summary.alerts.reported).toBe(summary.alerts.sent);
		expect(Date.now() - started).toBeLessThan(40_000);
	});
});
