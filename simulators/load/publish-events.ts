/**
 * The load generator (the ingest benchmark runs it): in its own process, so that publishing does
 * not take CPU from the ingest being measured, each device (its own MQTT client and login)
 * publishes its share of `count` valid events at the given QoS as fast as the broker takes them.
 * Reads its orders as JSON from argv, says "connected", waits for a line on stdin, says "done".
 */
import mqtt from 'mqtt';
import { deviceTopic } from '../../src/lib/mqtt/contract';

export interface PublishOrders {
	brokerUrl: string;
	districtCode: string;
	devices: { id: string; secret: string }[];
	count: number;
	/** Event type; 'motion' is stored without raising an alert. */
	type: string;
	/** 1 (the default): acknowledged by the broker; 0: fire and forget. */
	qos?: 0 | 1;
	/** Event ids are `${prefix}${i}` (default `m-`): a second run on the same devices needs another. */
	eventIdPrefix?: string;
}

const orders: PublishOrders = JSON.parse(process.argv[2]);
const clients = await Promise.all(
	orders.devices.map((d) =>
		mqtt.connectAsync(orders.brokerUrl, { clientId: d.id, username: d.id, password: d.secret })
	)
);
process.stdout.write('connected\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const sends: Promise<unknown>[] = [];
for (let i = 0; i < orders.count; i++) {
	const d = i % clients.length;
	const payload = JSON.stringify({
		v: 1,
		eventId: `${orders.eventIdPrefix ?? 'm-'}${i}`,
		type: orders.type,
		at: new Date().toISOString()
	});
	sends.push(
		clients[d].publishAsync(deviceTopic(orders.districtCode, orders.devices[d].id, 'event'), payload, {
			qos: orders.qos ?? 1
		})
	);
}
await Promise.all(sends);
await Promise.all(clients.map((c) => c.endAsync()));
process.stdout.write('done\n');
