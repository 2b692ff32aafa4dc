/**
 * The ingest role: subscribes to every device's uplink topics, validates each message, files the
 * good ones and dead-letters the rest with the reason.
 *
 * Messages from every connection are gathered into one batch per database transaction (group
 * commit): while a batch is being written, the next one fills. Each message is acknowledged only
 * after the batch holding it has committed; while the database is unreachable the batch is held
 * and retried, so nothing acknowledged is ever lost. Several connections share the load in one
 * MQTT 5 shared subscription (`$share/ingest/...`), and several processes can share it too.
 *
 * MQTT.js sends a QoS 1 message's PUBACK from `handleMessage`'s callback and hands over the
 * connection's next message only after that, which would put at most one message per connection in
 * a batch. So the callback is told at once that the acknowledgement is not MQTT.js's to send (an
 * error, on which MQTT.js sends none and moves on: handlers/publish.js), and the PUBACKs are written
 * after the commit, one write per connection. The broker keeps each connection's window of
 * unacknowledged messages open meanwhile (max_inflight_messages / Receive Maximum).
 */
import type { IPublishPacket, MqttClient } from 'mqtt';
import { generate } from 'mqtt-packet';
import type { Sql } from '../db/client';
import type { DomainEvents } from '../events';
import type { Logger } from '../log/logger';
import {
	UPLINK_KINDS,
	parseDeviceTopic,
	validateUplink,
	type ParsedTopic,
	type UplinkKind,
	type Validation
} from '../../mqtt/contract';
import { alertOfEvent } from '../alerts/alert-kinds';
import { ingestDeviceCache } from './ingest-devices';
import {
	storeDeadLetters,
	storeUplinks,
	type DeadLetter,
	type StoreResult,
	type Uplink
} from './store-uplink';

export const UPLINK_FILTER = 'care/+/devices/+/+';
export const SHARED_GROUP = 'ingest';
export const SHARED_UPLINK_FILTER = `$share/${SHARED_GROUP}/${UPLINK_FILTER}`;
/** Enough for a district's worst burst in one transaction, small enough to keep latency low. */
const MAX_BATCH = 1000;
/**
 * Every alert of a batch waits for the commit of the whole batch, and the work of raising them grows
 * with their number: with 1,000 in one batch the first would wait for the last.
 */
const MAX_ALERTS_PER_BATCH = 50;
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];
/** A stopping worker's connections count as drained after this long without a message… */
const STOP_QUIET_MS = 300;
/** …or, whatever still comes, after this long: a stop must end. */
const STOP_DRAIN_LIMIT_MS = 10_000;
/**
 * How long the broker keeps a named ingest process's sessions after a crash: long enough for any
 * restart, while the messages queued meanwhile wait for it (Mosquitto keeps routing its share there).
 */
export const INGEST_SESSION_EXPIRY_S = 24 * 3600;

export interface IngestStats {
	received: number;
	stored: number;
	duplicates: number;
	deadLetters: number;
	retries: number;
	batches: number;
}

export interface IngestWorker {
	stats: IngestStats;
	/** What the worker's connections do with a message: store it, then acknowledge it (peer-drain.ts uses it too). */
	handleMessage: MessageHandler;
	/**
	 * QoS 1 messages received on `client` and not acknowledged yet: waiting, being stored, or in a
	 * batch that failed (the broker redelivers those once the session is opened again).
	 */
	unacknowledged(client: MqttClient): number;
	/** Messages received and not yet stored, and how long the oldest has waited (the ingest lag). */
	backlog(): { messages: number; oldestWaitS: number };
	stop(): Promise<void>;
}

/**
 * Failures of the platform, not of the message: PostgreSQL's connection class 08, shutdowns (57P),
 * deadlocks and serialisation, insufficient resources (53: too many connections, disk or memory
 * full), socket and name-lookup errors. Worth holding and retrying; a good message must not become a
 * dead letter because the database was unwell.
 */
export function isTransient(error: unknown): boolean {
	const code = (error as { code?: string }).code ?? '';
	return (
		code.startsWith('08') ||
		code.startsWith('57P') ||
		code.startsWith('53') ||
		code === '40P01' ||
		code === '40001' ||
		[
			'ECONNREFUSED',
			'ECONNRESET',
			'EPIPE',
			'ETIMEDOUT',
			'ENOTFOUND',
			'EAI_AGAIN',
			'EHOSTUNREACH',
			'ENETUNREACH',
			'CONNECTION_CLOSED',
			'CONNECTION_ENDED',
			'CONNECTION_DESTROYED',
			'CONNECT_TIMEOUT'
		].includes(code)
	);
}

interface Pending {
	packet: IPublishPacket;
	/** The connection it came on, which acknowledges it; null for a QoS 0 message. */
	client: MqttClient | null;
	/**
	 * The network stream it came on. After a reconnect the packet id may name another message on the
	 * new stream, which an acknowledgement meant for this one would lose: the broker redelivers this.
	 */
	stream: MqttClient['stream'] | null;
	receivedAt: number;
	/** Its topic, checked on arrival; null when outside the contract. */
	topic: ParsedTopic | null;
	/** Its payload checked against the topic's schema; null when the topic was refused. */
	validation: Validation | null;
	/** Filing it may raise an alert (an alerting event, a status): see MAX_ALERTS_PER_BATCH. */
	raisesAlert: boolean;
}

/**
 * The next batch from the queue: up to MAX_BATCH messages, of which at most MAX_ALERTS_PER_BATCH
 * may raise an alert, so that a burst of alerts is committed — and pushed — in short steps.
 */
function nextBatch(queue: Pending[]): Pending[] {
	let alerts = 0;
	let size = 0;
	while (size < queue.length && size < MAX_BATCH) {
		if (queue[size].raisesAlert && ++alerts > MAX_ALERTS_PER_BATCH) break;
		size++;
	}
	return queue.splice(0, Math.max(size, 1));
}

function raisesAlert(topic: ParsedTopic | null, validation: Validation | null): boolean {
	if (topic?.kind === 'status') return true;
	return validation?.ok === true && validation.message.kind === 'event'
		? alertOfEvent(validation.message.payload.type) !== null
		: false;
}

/**
 * How MQTT.js hands a received message over, called as a method of the connection it came on
 * (`this`): the ingest acknowledges it there once it is stored.
 */
export type MessageHandler = (this: MqttClient, ...args: Parameters<MqttClient['handleMessage']>) => void;

/** Tells MQTT.js that the ingest sends this message's PUBACK itself, after the commit. */
const ACKNOWLEDGED_LATER = new Error('acknowledged by the ingest once stored');

/**
 * Writes the PUBACKs of stored messages, one write per connection, and counts them off `unacknowledged`;
 * a connection gone or reconnected since has none to send (the broker redelivers).
 */
function acknowledge(batch: readonly Pending[], unacknowledged: WeakMap<MqttClient, number>): void {
	const byClient = new Map<MqttClient, Buffer[]>();
	for (const { client, stream, packet } of batch) {
		if (!client) continue;
		unacknowledged.set(client, unacknowledged.get(client)! - 1);
		if (packet.messageId === undefined || stream !== client.stream) continue;
		const acks = byClient.get(client) ?? [];
		acks.push(
			generate(
				{ cmd: 'puback', messageId: packet.messageId },
				{ protocolVersion: client.options.protocolVersion }
			)
		);
		byClient.set(client, acks);
	}
	for (const [client, acks] of byClient)
		if (client.connected && client.stream.writable) client.stream.write(Buffer.concat(acks));
}

export async function startIngest(options: {
	/**
	 * Opens the ingest's connections with `handleMessage` installed from the start: a session kept
	 * across a crash redelivers its messages right after CONNACK, and MQTT.js's default handler
	 * would acknowledge them unstored.
	 */
	connect: (handleMessage: MessageHandler) => Promise<MqttClient[]>;
	sql: Sql;
	log: Logger;
	events: DomainEvents;
}): Promise<IngestWorker> {
	const { sql, log, events } = options;
	const stats: IngestStats = {
		received: 0,
		stored: 0,
		duplicates: 0,
		deadLetters: 0,
		retries: 0,
		batches: 0
	};
	const devicesOf = ingestDeviceCache(sql);
	const queue: Pending[] = [];
	let draining: Promise<void> | null = null;
	/** The batch being written: still waiting, as far as the lag is concerned. */
	let writing: Pending[] = [];
	let stopping = false;
	let lastReceivedAt = 0;
	const unacknowledged = new WeakMap<MqttClient, number>();

	const letter = (packet: IPublishPacket, reason: string): DeadLetter => ({
		topic: packet.topic,
		clientId: null,
		payload: packet.payload as Buffer,
		reason
	});

	/** Sorts a batch into uplinks to store and dead letters with their reasons. */
	const sortOut = async (batch: Pending[]) => {
		const letters: DeadLetter[] = [];
		const valid: {
			packet: IPublishPacket;
			deviceId: string;
			districtCode: string;
			uplink: Uplink['message'];
		}[] = [];
		for (const { packet, topic, validation } of batch) {
			if (!topic || !validation) {
				letters.push(
					letter(
						packet,
						`topic ${packet.topic} does not match care/{district}/devices/{deviceId}/{${UPLINK_KINDS.join('|')}}`
					)
				);
				continue;
			}
			if (!validation.ok) letters.push(letter(packet, validation.reason));
			else valid.push({ packet, ...topic, uplink: validation.message });
		}
		const devices = await devicesOf(valid.map((v) => v.deviceId));
		const uplinks: { packet: IPublishPacket; uplink: Uplink }[] = [];
		for (const v of valid) {
			const device = devices.get(v.deviceId);
			if (!device) letters.push(letter(v.packet, `unknown device ${v.deviceId}`));
			else if (device.districtCode !== v.districtCode)
				letters.push(
					letter(
						v.packet,
						`device ${v.deviceId} belongs to district ${device.districtCode}, not ${v.districtCode}`
					)
				);
			else uplinks.push({ packet: v.packet, uplink: { device, message: v.uplink } });
		}
		return { letters, uplinks };
	};

	/**
	 * Stores a batch, its dead letters included, in one transaction. When something in it is refused
	 * for a reason other than the connection, the uplinks are stored again one per transaction, so
	 * only the offending message becomes a dead letter and the good ones around it are kept.
	 */
	const store = async (
		uplinks: { packet: IPublishPacket; uplink: Uplink }[],
		letters: DeadLetter[]
	): Promise<StoreResult[]> => {
		// An event id used again for another event is refused once the events are in, as a dead letter
		// of its own: a retry of the batch finds the same again, so nothing is lost or filed twice.
		const refuseReusedIds = (result: StoreResult, packetOf: (index: number) => IPublishPacket) =>
			result.reusedIds.map((r) => letter(packetOf(r.index), r.reason));
		try {
			const result = await storeUplinks(
				sql,
				uplinks.map((u) => u.uplink),
				letters
			);
			const reused = refuseReusedIds(result, (index) => uplinks[index].packet);
			await storeDeadLetters(sql, reused);
			letters.push(...reused);
			return [result];
		} catch (error) {
			if (isTransient(error)) throw error;
			log.error({ err: error }, 'batch refused, storing its messages one by one');
			const results: StoreResult[] = [];
			for (const one of uplinks) {
				try {
					const result = await storeUplinks(sql, [one.uplink], []);
					results.push(result);
					letters.push(...refuseReusedIds(result, () => one.packet));
				} catch (failure) {
					if (isTransient(failure)) throw failure;
					log.error({ err: failure, topic: one.packet.topic }, 'message could not be stored');
					letters.push(letter(one.packet, `could not be stored: ${(failure as Error).message}`));
				}
			}
			await storeDeadLetters(sql, letters);
			return results;
		}
	};

	const fileBatch = async (batch: Pending[]) => {
		const { letters, uplinks } = await sortOut(batch);
		// Kept in arrival order, so an operator reads them as the device sent them.
		const arrival = new Map<unknown, number>(batch.map(({ packet }, i) => [packet.payload, i]));
		letters.sort((a, b) => arrival.get(a.payload)! - arrival.get(b.payload)!);
		const results = await store(uplinks, letters);
		stats.batches++;
		stats.deadLetters += letters.length;
		for (const l of letters) log.warn({ topic: l.topic, reason: l.reason }, 'dead letter');
		for (const result of results) {
			for (const fresh of result.stored) {
				if (fresh) stats.stored++;
				else stats.duplicates++;
			}
			stats.duplicates -= result.reusedIds.length;
			for (const change of result.incidents) events.emit('incident:changed', change.incident, change.opened);
		}
	};

	/** Files one batch, retrying while the database is away; the acknowledgements wait for this. */
	const fileWithRetries = async (batch: Pending[]) => {
		for (let attempt = 0; ; attempt++) {
			try {
				return await fileBatch(batch);
			} catch (error) {
				// Leaving them unacknowledged: the broker redelivers them to this or another worker.
				if (stopping || !isTransient(error)) throw error;
				stats.retries++;
				if (attempt === 0)
					log.warn({ code: (error as { code?: string }).code }, 'database unreachable, holding messages');
				await new Promise((resolve) =>
					setTimeout(resolve, RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)])
				);
			}
		}
	};

	const drain = async () => {
		// One turn of the event loop first: the other messages of the same socket reads are handed
		// over and join this batch instead of waiting for the one after.
		await new Promise((resolve) => setImmediate(resolve));
		while (queue.length > 0) {
			const batch = nextBatch(queue);
			writing = batch;
			try {
				await fileWithRetries(batch);
				acknowledge(batch, unacknowledged);
			} catch (error) {
				log.error(
					{ err: error, messages: batch.length },
					'batch not stored; left for the broker to redeliver'
				);
			}
			writing = [];
			await new Promise((resolve) => setImmediate(resolve));
		}
		draining = null;
	};

	const handleMessage: MessageHandler = function (this: MqttClient, message, callback) {
		const packet = message as IPublishPacket;
		const topic = parseDeviceTopic(packet.topic);
		// Our own downlink, echoed by the wildcard: MQTT.js acknowledges it.
		if (topic?.kind === 'cmd') return callback();
		stats.received++;
		lastReceivedAt = Date.now();
		const acknowledged = packet.qos > 0;
		if (acknowledged) unacknowledged.set(this, (unacknowledged.get(this) ?? 0) + 1);
		const validation = topic ? validateUplink(topic.kind as UplinkKind, packet.payload as Buffer) : null;
		queue.push({
			packet,
			client: acknowledged ? this : null,
			stream: acknowledged ? this.stream : null,
			receivedAt: lastReceivedAt,
			topic,
			validation,
			raisesAlert: raisesAlert(topic, validation)
		});
		draining ??= drain();
		callback(acknowledged ? ACKNOWLEDGED_LATER : undefined);
	};
	const clients = await options.connect(handleMessage);
	const shared = clients[0]?.options.protocolVersion === 5;
	const filter = shared ? SHARED_UPLINK_FILTER : UPLINK_FILTER;
	for (const client of clients) {
		client.handleMessage = handleMessage;
		// MQTT.js subscribes again after a reconnect only when the broker lost the session. Mosquitto
		// 2.0 restores a kept session from its persistence after a restart but routes nothing new to
		// its shared subscription, and subscribing again is not enough: it must be dropped and made
		// anew (tests/integration/scale-out-restarts.test.ts). The gap is one round trip of one
		// connection; the group's other connections take what arrives meanwhile.
		// A new session is subscribed here too (MQTT.js's own resubscribe repeats it harmlessly) so that
		// the log says when each connection takes messages again.
		client.on('connect', (connack) => {
			if (stopping) return;
			const renew = () =>
				client.subscribe(filter, { qos: 1 }, (error) => {
					if (error) log.warn({ err: error }, 'could not renew the ingest subscription');
					else log.info({ filter }, 'ingest: subscription renewed after a reconnect');
				});
			if (connack.sessionPresent) client.unsubscribe(filter, renew);
			else renew();
		});
		await client.subscribeAsync(filter, { qos: 1 }).catch((error: unknown) => {
			// Closed before the SUBACK, as when a worker draining this one's sessions (peer-drain.ts)
			// opened one just before it let go: the connection comes back by itself and subscribes then.
			if (client.connected) throw error;
			log.warn({ err: error }, 'an ingest connection closed while subscribing; it subscribes when back');
		});
	}
	log.info({ filter, connections: clients.length }, `ingest: ${clients.length} connection(s) on ${filter}`);

	return {
		stats,
		handleMessage,
		unacknowledged: (client) => unacknowledged.get(client) ?? 0,
		backlog() {
			const oldest = writing[0] ?? queue[0];
			return {
				messages: writing.length + queue.length,
				oldestWaitS: oldest ? (Date.now() - oldest.receivedAt) / 1000 : 0
			};
		},
		async stop() {
			stopping = true;
			await Promise.all(clients.map((client) => client.unsubscribeAsync(filter).catch(() => {})));
			// The broker still sends what it had already given these connections: store and acknowledge
			// it all, until they fall quiet, so that ending the sessions loses nothing.
			const until = Date.now() + STOP_DRAIN_LIMIT_MS;
			do {
				await draining;
				await new Promise((resolve) => setTimeout(resolve, 50));
			} while ((draining || Date.now() - lastReceivedAt < STOP_QUIET_MS) && Date.now() < until);
		}
	};
}
