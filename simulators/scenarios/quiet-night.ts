/**
 * quiet-night: a night with nothing unusual, eight hours compressed into about half a minute. Only the
 * fleet's own rhythm: heartbeats, telemetry, the odd fall or press of a button. The baseline the
 * other scenarios are read against.
 */
import type { Scenario } from './runner';

export const quietNight: Scenario = {
	name: 'quiet-night',
	description: 'eight ordinary night hours, low alert rate',
	households: 60,
	speed: 1200,
	startAt: '2026-11-29T22:00:00+08:00',
	minutes: 8 * 60,
	async run() {
		// Nothing scripted: the fleet's own events are the night.
	}
};
