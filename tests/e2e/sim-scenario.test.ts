/**
 * Scripted scenarios against the built server, through its HTTP API, broker and socket.io only:
 * a short typhoon-night twice from one seed gives the same alerts and loses nothing, and
 * bad-devices gets each bad message dead-lettered while the good ones around them are stored.
 *
 * The server runs its own embedded broker even when MQTT_URL is set, so that no other platform
 * sharing that broker's ingest subscription takes the scenario's messages; it uses DATABASE_URL when
 * set, the embedded PGlite otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, formatSummary, runScenario, type ScenarioResult } from '../../simulators/scenarios/index';
import { simulatorsLogInAsAdmin } from '../support/auth';
import { startOwnServer, type OwnServer } from '../support/spawn-server';

const run = Date.now().toString(36);

describe('scripted scenarios', () => {
	let server: OwnServer | undefined;
	let baseUrl: string;

	beforeAll(async () => {
		server = await startOwnServer('carecircle-scenario-');
		simulatorsLogInAsAdmin(server.baseUrl);
		baseUrl = server.baseUrl;
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('plays typhoon-night the same way twice from one seed, losing nothing', async () => {
		const play = async (): Promise<ScenarioResult> => {
			const result = await runScenario(SCENARIOS['typhoon-night'], {
				url: baseUrl,
				seed: `typhoon-${run}`,
				households: 10,
				speed: 120,
				minutes: 10,
				settleS: 15
			});
			console.log(formatSummary(result.summary));
			return result;
		};
		const first = await play();
		const second = await play();

		for (const { summary } of [first, second]) {
			expect(summary.notStored.total).toBe(0);
			expect(summary.messages.unacknowledged).toBe(0);
			expect(summary.stored.counted).toBeGreaterThanOrEqual(summary.stored.expected);
			expect(summary.alerts.reported).toBe(summary.alerts.sent);
			expect(summary.alerts.latencyMs.p99).toBeLessThan(5_000);
		}
		// The power cut's last wills and the burst's SOS presses are all there.
		expect(first.alertSequence.some((line) => line.endsWith(' device_offline'))).toBe(true);
		expect(first.alertSequence.some((line) => line.endsWith(' sos'))).toBe(true);
		expect(second.alertSequence).toEqual(first.alertSequence);
		// The second run finds the first run's incidents still open and joins them.
		expect(first.summary.alerts.opened).toBeGreaterThan(0);
		expect(second.summary.alerts.opened).toBe(0);
	}, 60_000);

	it('dead-letters every bad message of bad-devices and stores the good ones', async () => {
		const { summary } = await runScenario(SCENARIOS['bad-devices'], {
			url: baseUrl,
			seed: `bad-${run}`,
			households: 8,
			speed: 120,
			minutes: 10,
			settleS: 15
		});
		console.log(formatSummary(summary));
		expect(summary.deadLetters.expected).toBeGreaterThan(0);
		expect(summary.deadLetters.counted).toBe(summary.deadLetters.expected);
		expect(summary.notStored.total).toBe(0);
		expect(summary.alerts.reported).toBe(summary.alerts.sent);
	}, 40_000);
});
