/**
 * typhoon-night: a typhoon at night. A power cut takes one whole street's devices offline at once
 * (every connection dropped without a goodbye, so the broker sends each device's last will and the
 * platform opens a device-offline alert per device), then the rest of the district floods: every
 * water-leak detector goes off and many residents press SOS, some twice. Every alert must reach the
 * console and nothing acknowledged may be lost.
 */
import type { Scenario } from './runner';

export const typhoonNight: Scenario = {
	name: 'typhoon-night',
	description: 'a street loses power, then a burst of SOS and water-leak alerts from the rest',
	households: 60,
	speed: 60,
	startAt: '2026-09-15T23:00:00+08:00',
	minutes: 20,
	async run(ctx) {
		const length = ctx.end - ctx.start;
		const [street] = await ctx.streets();
		if (!street) throw new Error('no household of the fleet lies in a street of the district');
		const dark = new Set(street.households.map((h) => h.externalId));
		const doomed = ctx.fleet.devices.filter((d) => dark.has(d.householdExternalId)).map((d) => d.id);
		ctx.note(
			'power cut',
			`${street.name} (${street.code}): ${dark.size} households, ${doomed.length} devices`
		);
		const steps: Promise<void>[] = [ctx.kill(doomed, ctx.start + 0.15 * length)];

		// The flood: from a quarter of the run on, over a fifth of it.
		const burstAt = () => ctx.start + (0.25 + 0.2 * ctx.rng.next()) * length;
		let sos = 0;
		let leaks = 0;
		for (const device of ctx.fleet.devices) {
			if (dark.has(device.householdExternalId)) continue;
			if (device.kind === 'water_leak') {
				leaks++;
				steps.push(ctx.event(device.id, 'water_leak', burstAt()));
			}
			if (device.kind === 'sos_button' && ctx.rng.chance(0.6)) {
				const presses = ctx.rng.chance(0.3) ? 2 : 1;
				for (let i = 0; i < presses; i++, sos++) steps.push(ctx.event(device.id, 'sos', burstAt()));
			}
		}
		ctx.note('burst', `${sos} SOS presses and ${leaks} water leaks`);
		await Promise.all(steps);
	}
};
