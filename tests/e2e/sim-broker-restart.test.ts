/**
 * broker-restart against real Mosquitto: the scenario's stage starts Mosquitto with the shipped config
 * on a spare port and the built server on it (DATABASE_URL), stops the broker for the scenario's 30 s
 * in the middle of the run and starts it again. Every SOS press before, during and after the outage must be stored
 * exactly once: each one counted by the console's pushes, none missing, none extra.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	SCENARIOS,
	formatSummary,
	runScenario,
	startStage,
	type Stage
} from '../../simulators/scenarios/index';
import { hasMosquitto } from '../support/mosquitto';

const databaseUrl = process.env.DATABASE_URL;

describe.runIf(hasMosquitto && databaseUrl)('broker-restart against Mosquitto', () => {
	let stage: Stage;

	beforeAll(async () => {
		stage = await startStage({ databaseUrl: databaseUrl! });
	}, 60_000);

	afterAll(async () => {
		await stage?.close();
	});

	it('stores every QoS 1 alert published before, during and after the outage exactly once', async () => {
		const lines: string[] = [];
		const { summary } = await runScenario(SCENARIOS['broker-restart'], {
			url: stage.url,
			mqttUrl: stage.mqttUrl,
			broker: stage.broker,
			seed: `restart-${Date.now().toString(36)}`,
			households: 8,
			speed: 60,
			minutes: 70,
			outageS: 30,
			settleS: 15,
			log: (line) => lines.push(line)
		});
		// Every device's failed reconnection attempts during the outage are left out.
		const refused = lines.filter((line) => line.includes('ECONNREFUSED')).length;
		const told = lines.filter((line) => !line.includes('ECONNREFUSED'));
		console.log(`${told.join('\n')}\n(${refused} refused reconnections)\n${formatSummary(summary)}`);
		expect(summary.notes['SOS presses']).toMatch(/^[1-9]\d* before, [1-9]\d* during, [1-9]\d* after/);
		expect(summary.notes.reconnected).toMatch(/^(\d+) of \1 devices/);
		expect(summary.messages.unacknowledged).toBe(0);
		expect(summary.notStored.total).toBe(0);
		expect(summary.stored.counted).toBeGreaterThanOrEqual(summary.stored.expected);
		// Exactly once: every alert counted by a push, and no alert counted that was not sent.
		expect(summary.alerts.reported).toBe(summary.alerts.sent);
		expect(summary.alerts.other).toBe(0);
	}, 150_000);
});
