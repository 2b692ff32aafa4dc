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
/**
 * Like a gateway's outbox, each client keeps at most OUTBOX messages unacknowledged and, once half
 * of them are acknowledged, sends the next half at once. The broker sees a steady stream; the
 * messages sent together leave in one write (MQTT.js flushes a client's packets once per tick), and
 * the generator never holds the whole burst in memory (which cost it more CPU in garbage collection
 * than the publishing itself).
 */
const OUTBOX = 50;
const REFILL_AT = OUTBOX / 2;
await new Promise<void>((resolve, reject) => {
	let unacknowledged = orders.count;
	if (unacknowledged === 0) return resolve();
	const inFlight = clients.map(() => 0);
	// Device d publishes events d, d + n, d + 2n, …: each device its share of the count.
	const nextEvent = clients.map((_, d) => d);
	const refill = (d: number) => {
		while (inFlight[d] < OUTBOX && nextEvent[d] < orders.count) {
			const i = nextEvent[d];
			nextEvent[d] += clients.length;
			inFlight[d]++;
			const payload = JSON.stringify({
				v: 1,
				eventId: `${orders.eventIdPrefix ?? 'm-'}${i}`,
				type: orders.type,
				at: new Date().toISOString()
			});
			clients[d].publish(
				deviceTopic(orders.districtCode, orders.devices[d].id, 'event'),
				payload,
				{ qos: orders.qos ?? 1 },
				(error) => {
					if (error) return reject(error);
					inFlight[d]--;
					if (--unacknowledged === 0) resolve();
					else if (inFlight[d] <= REFILL_AT) refill(d);
				}
			);
		}
	};
	clients.forEach((_, d) => refill(d));
});
await Promise.all(clients.map((c) => c.endAsync()));
process.stdout.write('done\n');
