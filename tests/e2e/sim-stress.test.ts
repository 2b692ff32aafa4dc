/**
 * The stress scenario against the built server on its embedded defaults, kept short (--max-seconds
 * 16: a step or two of rising load): it measures at least one step, names its knee in the summary,
 * and everything it sent is stored once the platform has drained.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, formatSummary, runScenario } from '../../simulators/scenarios/index';
import { simulatorsLogInAsAdmin } from '../support/auth';
import { startOwnServer, type OwnServer } from '../support/spawn-server';

describe('the stress scenario', () => {
	let server: OwnServer | undefined;
	let baseUrl: string;

	beforeAll(async () => {
		server = await startOwnServer('carecircle-stress-');
		simulatorsLogInAsAdmin(server.baseUrl);
		baseUrl = server.baseUrl;
	});

	afterAll(async () => {
		await server?.stop();
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
