/**
 * The ingest role: subscribes to every device's uplink topics (an MQTT 5 shared subscription when
 * the broker speaks MQTT 5, so several workers split the load), validates each message, files the
 * good ones and dead-letters the rest with the reason. A QoS 1 message is acknowledged only after
 * it is stored: while the database is unreachable the worker holds the message and retries, so
 * nothing acknowledged is ever lost.
 */
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { Sql } from '../db/client';
import { findIngestDevice, type IngestDevice } from '../devices/registry';
import type { DomainEvents } from '../events';
import type { Logger } from '../log/logger';
import { UPLINK_KINDS, parseDeviceTopic, validateUplink, type UplinkKind } from '../mqtt/contract';
import { storeDeadLetter, storeUplink } from './store-uplink';

export const UPLINK_FILTER = 'care/+/devices/+/+';
export const SHARED_GROUP = 'ingest';

export interface IngestStats {
	received: number;
	stored: number;
	duplicates: number;
	deadLetters: number;
	retries: number;
}

export interface IngestWorker {
	stats: IngestStats;
	stop(): Promise<void>;
}

/** How long a device's registry entry is trusted before it is read again. */
const DEVICE_CACHE_MS = 30_000;
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000, 5000];

/** Connection-level failures (PostgreSQL class 08, socket errors): worth waiting for, not the message's fault. */
function isTransient(error: unknown): boolean {
	const code = (error as { code?: string }).code ?? '';
	return (
		code.startsWith('08') ||
		code.startsWith('57P') ||
		[
			'ECONNREFUSED',
			'ECONNRESET',
			'EPIPE',
			'ETIMEDOUT',
			'CONNECTION_CLOSED',
			'CONNECTION_ENDED',
			'CONNECTION_DESTROYED',
			'CONNECT_TIMEOUT'
		].includes(code)
	);
}

export async function startIngest(options: {
	client: MqttClient;
	sql: Sql;
	log: Logger;
	events: DomainEvents;
}): Promise<IngestWorker> {
	const { client, sql, log, events } = options;
	const stats: IngestStats = { received: 0, stored: 0, duplicates: 0, deadLetters: 0, retries: 0 };
	const devices = new Map<string, { device: IngestDevice | null; until: number }>();
	let stopping = false;

	const lookUp = async (id: string) => {
		const cached = devices.get(id);
		if (cached && cached.until > Date.now()) return cached.device;
		const device = await findIngestDevice(sql, id);
		devices.set(id, { device, until: Date.now() + DEVICE_CACHE_MS });
		return device;
	};

	const deadLetter = async (packet: IPublishPacket, reason: string) => {
		stats.deadLetters++;
		log.warn({ topic: packet.topic, reason }, 'dead letter');
		await storeDeadLetter(sql, {
			topic: packet.topic,
			clientId: null,
			payload: packet.payload as Buffer,
			reason
		});
	};

	const file = async (packet: IPublishPacket) => {
		const topic = parseDeviceTopic(packet.topic);
		if (topic?.kind === 'cmd') return; // our own downlink, echoed by the wildcard
		stats.received++;
		if (!topic)
			return deadLetter(
				packet,
				`topic ${packet.topic} does not match care/{district}/devices/{deviceId}/{${UPLINK_KINDS.join('|')}}`
			);
		const validation = validateUplink(topic.kind as UplinkKind, packet.payload as Buffer);
		if (!validation.ok) return deadLetter(packet, validation.reason);
		const device = await lookUp(topic.deviceId);
		if (!device) return deadLetter(packet, `unknown device ${topic.deviceId}`);
		if (device.districtCode !== topic.districtCode) {
			return deadLetter(
				packet,
				`device ${topic.deviceId} belongs to district ${device.districtCode}, not ${topic.districtCode}`
			);
		}
		const result = await storeUplink(sql, device, validation.message);
		if (!result.stored) stats.duplicates++;
		else stats.stored++;
		if (result.incident) events.emit('incident:changed', result.incident.incident, result.incident.opened);
	};

	/** Files the message, retrying while the database is away; the ack waits for this to finish. */
	const handle = async (packet: IPublishPacket) => {
		for (let attempt = 0; ; attempt++) {
			try {
				return await file(packet);
			} catch (error) {
				if (!isTransient(error)) {
					log.error({ err: error, topic: packet.topic }, 'message could not be stored');
					await deadLetter(packet, `could not be stored: ${(error as Error).message}`).catch(() => {});
					return;
				}
				// Leaving it unacknowledged: the broker redelivers it to this or another worker.
				if (stopping) throw error;
				stats.retries++;
				const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)];
				if (attempt === 0)
					log.warn({ code: (error as { code?: string }).code }, 'database unreachable, holding messages');
				await new Promise((resolve) => setTimeout(resolve, delay));
			}
		}
	};

	client.handleMessage = (packet, callback) => {
		handle(packet as IPublishPacket).then(
			() => callback(),
			(error: Error) => callback(error)
		);
	};

	const shared = client.options.protocolVersion === 5;
	const filter = shared ? `$share/${SHARED_GROUP}/${UPLINK_FILTER}` : UPLINK_FILTER;
	await client.subscribeAsync(filter, { qos: 1 });
	log.info({ filter }, `ingest: subscribed to ${filter}`);

	return {
		stats,
		async stop() {
			stopping = true;
			await client.unsubscribeAsync(filter).catch(() => {});
		}
	};
}
