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
import { isConnectionFailure } from '../db/connection-failure';
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
/** …or, whatever still comes and however long the database stays away, after this long: a stop must end. */
export const STOP_DRAIN_LIMIT_MS = 10_000;
/** The longest a stop waits for the broker to answer an unsubscribe or a disconnect. */
const STOP_STEP_LIMIT_MS = 2000;
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
	/**
	 * Stops taking messages: unsubscribes, then stores and acknowledges what the broker had already
	 * sent, retrying failed writes, for at most STOP_DRAIN_LIMIT_MS. What is still not stored then is
	 * left unacknowledged, and the connections close without ending their sessions, so the broker
	 * delivers it again: to this worker when it comes back under its name, or to the peer that drains
	 * its sessions (peer-drain.ts). With `endSessions`, a stop that left nothing ends the sessions
	 * (session expiry 0), so the broker routes nothing more to a worker that is not coming back.
	 * Always finishes (each step is bounded) and resolves with the number of messages left.
	 */
	stop(options?: { endSessions?: boolean }): Promise<{ left: number }>;
}

/**
 * Why storing a batch failed: `bad_data` when PostgreSQL refused something in the messages
 * themselves — SQLSTATE class 22 (data exception: a value it cannot hold) or 23 (integrity
 * constraint violation) — which would fail the same way however often it is tried, so the message
 * becomes a dead letter. Any other SQLSTATE is `transient`: the server is shutting down or terminated
 * the backend (57P01…), ran out of resources (53), a deadlock, a timeout, the schema mid-migration;
 * so is a lost or refused connection (class 08, a socket error, postgres.js's CONNECTION_* codes). A
 * good message must not become a dead letter because the database was unwell, so those are held
 * unacknowledged and tried again until the database is back. An error from neither (a message the
 * storing code cannot handle) is `bad_data` too: retrying it would stall every message behind it.
 * SQLSTATE classes: PostgreSQL manual, appendix A.
 */
export type StoreFailure = 'bad_data' | 'transient';

const SQLSTATE = /^[0-9A-Z]{5}$/;

export function classifyStoreFailure(error: unknown): StoreFailure {
	if (isConnectionFailure(error)) return 'transient';
	const code = (error as { code?: unknown } | null)?.code;
	if (typeof code === 'string' && SQLSTATE.test(code)) return /^2[23]/.test(code) ? 'bad_data' : 'transient';
	return 'bad_data';
}

/** A failure worth holding the messages for and retrying (see classifyStoreFailure). */
export function isTransient(error: unknown): boolean {
	return classifyStoreFailure(error) === 'transient';
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

/** Waits for `promise` at most `ms`; says whether it settled (resolved or rejected) in time. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<false>(
		(resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms)))
	);
	try {
		return await Promise.race([
			promise.then(
				() => true,
				() => true
			),
			timeout
		]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Closes an ingest connection with a DISCONNECT, which flushes the acknowledgements written before
 * it. Without a session expiry in it the session stays as the connection opened it (kept for a named
 * worker: INGEST_SESSION_EXPIRY_S); with `endSession` it carries expiry 0 and ends it. MQTT.js waits
 * for the answers it is owed before disconnecting, which a broker that is away never sends: after
 * STOP_STEP_LIMIT_MS the socket is destroyed, which keeps the session too.
 */
async function closeConnection(client: MqttClient, endSession: boolean, log: Logger): Promise<void> {
	const closing = client.connected
		? client.endAsync(false, endSession ? { properties: { sessionExpiryInterval: 0 } } : {})
		: client.endAsync(true);
	if (await settlesWithin(closing, STOP_STEP_LIMIT_MS)) return;
	log.warn({ clientId: client.options.clientId }, 'ingest connection did not close in time, dropped');
	client.stream.destroy();
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
	/**
	 * Whether the connections are the ingest's own, closed by `stop` (default); false when they are
	 * the process's one broker connection, closed with the process (aedes, no shared subscriptions).
	 */
	ownsConnections?: boolean;
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
	/** Set when a stop ran out of time: what is not stored yet stays unacknowledged. */
	let abandoned = false;
	/** Cuts short the wait before the next retry, so that a stop need not sit it out. */
	let wakeRetry: (() => void) | null = null;
	let stopped: Promise<{ left: number }> | null = null;
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

	type Filed = { packet: IPublishPacket; uplink: Uplink };

	// An event id used again for another event is refused once the events are in, as a dead letter
	// of its own: a retry of the batch finds the same again, so nothing is lost or filed twice.
	const refuseReusedIds = (result: StoreResult, part: Filed[]) =>
		result.reusedIds.map((r) => letter(part[r.index].packet, r.reason));

	/**
	 * Stores part of a batch refused as bad data by storing each half apart, down to the single
	 * messages PostgreSQL refuses, which become dead letters: the good messages around them are kept,
	 * in about 2·log2(n) statements per bad message instead of one transaction per message. A
	 * transient failure ends the attempt; the whole batch is tried again (the writes are idempotent).
	 */
	const storeInHalves = async (part: Filed[], letters: DeadLetter[]): Promise<StoreResult[]> => {
		try {
			const result = await storeUplinks(
				sql,
				part.map((u) => u.uplink)
			);
			letters.push(...refuseReusedIds(result, part));
			return [result];
		} catch (error) {
			if (isTransient(error)) throw error;
			if (part.length === 1) {
				const { code } = error as { code?: string };
				log.warn({ code, topic: part[0].packet.topic }, 'message refused by the database');
				letters.push(letter(part[0].packet, `could not be stored: ${(error as Error).message}`));
				return [];
			}
			const half = Math.ceil(part.length / 2);
			const first = await storeInHalves(part.slice(0, half), letters);
			return [...first, ...(await storeInHalves(part.slice(half), letters))];
		}
	};

	/**
	 * Stores a batch, its dead letters included, in one transaction. When PostgreSQL refuses
	 * something in it as bad data (classifyStoreFailure), the batch is split in halves to find the
	 * offending messages; the dead letters are then stored on their own.
	 */
	const store = async (uplinks: Filed[], letters: DeadLetter[]): Promise<StoreResult[]> => {
		try {
			const result = await storeUplinks(
				sql,
				uplinks.map((u) => u.uplink),
				letters
			);
			const reused = refuseReusedIds(result, uplinks);
			await storeDeadLetters(sql, reused);
			letters.push(...reused);
			return [result];
		} catch (error) {
			if (isTransient(error)) throw error;
			const { code } = error as { code?: string };
			log.warn({ code, messages: uplinks.length }, 'batch refused as bad data, storing it in halves');
			const refused: DeadLetter[] = [];
			const results = uplinks.length > 0 ? await storeInHalves(uplinks, refused) : [];
			letters.push(...refused);
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

	/**
	 * Files one batch, retrying for as long as the failure is transient (the database away, shut
	 * down, out of connections): the acknowledgements wait for this. Only a stop that ran out of time
	 * ends the retries (`abandoned`), leaving the batch unacknowledged for the broker to deliver again.
	 */
	const fileWithRetries = async (batch: Pending[]) => {
		for (let attempt = 0; ; attempt++) {
			try {
				await fileBatch(batch);
				if (attempt > 0) log.info({ retries: attempt }, 'database back, held messages stored');
				return;
			} catch (error) {
				if (abandoned || !isTransient(error)) throw error;
				stats.retries++;
				if (attempt === 0)
					log.warn({ code: (error as { code?: string }).code }, 'database unreachable, holding messages');
				await new Promise<void>((resolve) => {
					const timer = setTimeout(
						() => {
							wakeRetry = null;
							resolve();
						},
						RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]
					);
					wakeRetry = () => {
						clearTimeout(timer);
						resolve();
					};
				});
				wakeRetry = null;
				if (abandoned) throw error;
			}
		}
	};

	const drain = async () => {
		// One turn of the event loop first: the other messages of the same socket reads are handed
		// over and join this batch instead of waiting for the one after.
		await new Promise((resolve) => setImmediate(resolve));
		while (queue.length > 0 && !abandoned) {
			const batch = nextBatch(queue);
			writing = batch;
			try {
				await fileWithRetries(batch);
				acknowledge(batch, unacknowledged);
			} catch (error) {
				// A stop that ran out of time counts and logs what it leaves.
				if (!abandoned)
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
		// After a stop gave up: neither stored nor acknowledged, so the broker delivers it again.
		if (abandoned) return callback(packet.qos > 0 ? ACKNOWLEDGED_LATER : undefined);
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
		stop({ endSessions = false } = {}) {
			stopped ??= (async () => {
				stopping = true;
				const until = Date.now() + STOP_DRAIN_LIMIT_MS;
				// Unsubscribed first, so the broker routes nothing new here. Bounded, as everything in a
				// stop: a connection that is away answers nothing, and MQTT.js would wait for it.
				await settlesWithin(
					Promise.all(
						clients
							.filter((client) => client.connected)
							.map((client) => client.unsubscribeAsync(filter).catch(() => {}))
					),
					STOP_STEP_LIMIT_MS
				);
				// The broker still sends what it had already given these connections: store and acknowledge
				// it, retrying while the database is away, until they fall quiet or the time is up.
				while ((draining || Date.now() - lastReceivedAt < STOP_QUIET_MS) && Date.now() < until) {
					if (draining) await settlesWithin(draining, until - Date.now());
					await new Promise((resolve) => setTimeout(resolve, 50));
				}
				abandoned = true;
				wakeRetry?.();
				// A write still under way may yet commit; its acknowledgements then go nowhere, and the
				// broker delivers those messages again (stored once: the writes are idempotent).
				const left = writing.length + queue.length;
				queue.length = 0;
				if (left > 0)
					log.warn(
						{ left },
						`ingest stopped with ${left} message(s) not stored, left unacknowledged for the broker to deliver again`
					);
				else log.info('ingest stopped, every message received stored');
				if (options.ownsConnections !== false)
					await Promise.all(clients.map((client) => closeConnection(client, endSessions && left === 0, log)));
				return { left };
			})();
			return stopped;
		}
	};
}
