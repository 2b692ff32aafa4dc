/**
 * broker-restart: the broker goes away (30 s by default, `--outage S`) while the devices go on raising
 * alerts. Every device keeps what it could not send in its client's offline queue (QoS 1), reconnects
 * when the broker is back and delivers it, sending again what the broker acknowledged with 0x10 (no
 * subscriber yet: the platform's ingest reconnects and resubscribes a moment later). Every
 * SOS button is pressed before, during and after the outage, and each press must be stored exactly
 * once (redeliveries of a message the broker had already acknowledged are recognised by its event id).
 * Mosquitto sends the last will of every device connected when it shuts down, so each of them also
 * opens one device-offline alert, expected like the others.
 *
 * A scenario cannot restart a production broker: this one needs a run that brought its own
 * (`ctx.broker`: the CLI starts Mosquitto with the shipped config and a platform on it, stage.ts).
 */
import type { Scenario } from './runner';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const brokerRestart: Scenario = {
	name: 'broker-restart',
	description: 'the broker goes away and comes back; devices deliver their queued QoS 1 alerts',
	households: 20,
	speed: 20,
	startAt: '2026-11-30T06:30:00+08:00',
	minutes: 40,
	async run(ctx) {
		const broker = ctx.broker;
		if (!broker)
			throw new Error(
				'broker-restart needs a broker it controls: run it through npm run sim:scenario with DATABASE_URL set'
			);
		const outageMs = (ctx.outageS ?? 30) * 1000;
		const length = ctx.end - ctx.start;
		const downAt = ctx.start + 0.3 * length;
		const upAt = downAt + outageMs * ctx.speed;
		if (upAt >= ctx.start + 0.8 * length)
			throw new Error('the outage does not fit in the run: give it more --minutes or a shorter --outage');
		const between = (from: number, to: number) => from + ctx.rng.next() * (to - from);
		const windows = {
			before: [ctx.start + 0.05 * length, downAt - 0.02 * length],
			during: [downAt + 0.1 * (upAt - downAt), upAt - 0.1 * (upAt - downAt)],
			after: [upAt + 0.05 * length, ctx.end - 0.05 * length]
		} as const;

		const steps: Promise<void>[] = [];
		const presses = { before: 0, during: 0, after: 0 };
		for (const device of ctx.fleet.devices) {
			if (device.kind !== 'sos_button') continue;
			for (const phase of ['before', 'during', 'after'] as const) {
				presses[phase]++;
				steps.push(ctx.event(device.id, 'sos', between(...windows[phase])));
			}
		}
		ctx.note(
			'SOS presses',
			`${presses.before} before, ${presses.during} during, ${presses.after} after the outage`
		);

		const outage = (async () => {
			await ctx.at(downAt);
			const online = () => ctx.fleet.devices.filter((d) => ctx.fleet.isConnected(d.id)).map((d) => d.id);
			const connected = () => online().length;
			const cut = online();
			ctx.log(`stopping the broker (${cut.length} devices connected)`);
			const stopped = Date.now();
			// Mosquitto sends every connected client's last will as it shuts down: the platform hears
			// each device go offline (one device-offline alert each) before its own connection drops.
			ctx.expectLastWills(cut, ctx.fleet.simNow());
			await broker.stop();
			await sleep(outageMs - (Date.now() - stopped));
			await broker.start();
			const back = Date.now();
			ctx.log(`broker back after ${((back - stopped) / 1000).toFixed(1)} s`);
			const all = ctx.fleet.devices.length;
			while (connected() < all && Date.now() - back < 30_000) await sleep(100);
			const reconnectS = ((Date.now() - back) / 1000).toFixed(1);
			ctx.note('outage', `${((back - stopped) / 1000).toFixed(1)} s real`);
			ctx.note('reconnected', `${connected()} of ${all} devices within ${reconnectS} s`);
			ctx.log(`${connected()} of ${all} devices reconnected within ${reconnectS} s`);
		})();
		await Promise.all([...steps, outage]);
	}
};
