/**
 * bad-devices: a share of the devices misbehave once each — malformed JSON, a field or value the
 * contract does not know, an oversized payload, or a message on another device's topic (a spoofed
 * SOS) — and afterwards their households press SOS as usual. The platform must dead-letter each bad
 * message, keep the good ones around them, and never raise the spoofed alert.
 *
 * On the embedded broker a foreign topic is refused at the broker: it is kept as a dead letter and
 * the device is dropped (MQTT 3.1.1 has no other way to refuse a publish), so its last will follows
 * and it reconnects. Mosquitto drops such a message by its ACL without telling anyone: nothing to
 * count there. Those publishes go at QoS 0, as a refused QoS 1 message would be resent on every
 * reconnect.
 */
import { MAX_PAYLOAD_BYTES } from '../../src/lib/mqtt/contract';
import type { Scenario } from './runner';

const MISDEEDS = ['malformed_json', 'unknown_field', 'unknown_type', 'oversized', 'foreign_topic'] as const;
type Misdeed = (typeof MISDEEDS)[number];

export const badDevices: Scenario = {
	name: 'bad-devices',
	description: 'a fifth of the devices send malformed, oversized or other devices’ messages',
	households: 30,
	speed: 60,
	startAt: '2026-11-29T10:00:00+08:00',
	minutes: 10,
	async run(ctx) {
		const length = ctx.end - ctx.start;
		const devices = ctx.fleet.devices;
		const topic = (deviceId: string, kind: string) => `care/${ctx.districtCode}/devices/${deviceId}/${kind}`;
		const iso = () => new Date().toISOString();
		const counts: Partial<Record<Misdeed, number>> = {};
		const troubled = new Set<string>();
		const steps: Promise<void>[] = [];
		for (const device of devices) {
			if (!ctx.rng.chance(0.2)) continue;
			const misdeed = ctx.rng.pick(MISDEEDS);
			const simAt = ctx.start + (0.1 + 0.4 * ctx.rng.next()) * length;
			counts[misdeed] = (counts[misdeed] ?? 0) + 1;
			troubled.add(device.householdExternalId);
			const own = topic(device.id, 'event');
			const eventId = `bad-${device.id}-${misdeed}`.slice(-64);
			if (misdeed === 'malformed_json')
				steps.push(
					ctx.raw(device.id, own, '{"v":1,"eventId":"x","type":"sos",', {
						qos: 1,
						expect: 'dead_letter',
						simAt
					})
				);
			else if (misdeed === 'unknown_field')
				steps.push(
					ctx.raw(device.id, own, JSON.stringify({ v: 1, eventId, type: 'sos', at: iso(), mood: 'grumpy' }), {
						qos: 1,
						expect: 'dead_letter',
						simAt
					})
				);
			else if (misdeed === 'unknown_type')
				steps.push(
					ctx.raw(device.id, own, JSON.stringify({ v: 1, eventId, type: 'explosion', at: iso() }), {
						qos: 1,
						expect: 'dead_letter',
						simAt
					})
				);
			else if (misdeed === 'oversized')
				steps.push(
					ctx.raw(
						device.id,
						topic(device.id, 'telemetry'),
						JSON.stringify({ v: 1, at: iso(), firmwareDump: 'x'.repeat(MAX_PAYLOAD_BYTES + 1024) }),
						{ qos: 1, expect: 'dead_letter', simAt }
					)
				);
			else {
				const victim = ctx.rng.pick(
					devices.filter((d) => d.householdExternalId !== device.householdExternalId)
				);
				steps.push(
					ctx.raw(
						device.id,
						topic(victim.id, 'event'),
						JSON.stringify({ v: 1, eventId, type: 'sos', at: iso() }),
						ctx.embeddedBroker
							? { qos: 0, expect: 'dead_letter', simAt, cutsConnection: true }
							: { qos: 0, expect: 'ignored', simAt }
					)
				);
			}
		}
		// The households of the bad devices still get their real alerts through.
		for (const device of devices)
			if (device.kind === 'sos_button' && troubled.has(device.householdExternalId))
				steps.push(ctx.event(device.id, 'sos', ctx.start + (0.6 + 0.2 * ctx.rng.next()) * length));
		ctx.note(
			'misbehaving devices',
			MISDEEDS.map((m) => `${m.replace('_', ' ')} ${counts[m] ?? 0}`).join(', ')
		);
		await Promise.all(steps);
	}
};
