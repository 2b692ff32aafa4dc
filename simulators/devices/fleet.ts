/**
 * The device fleet: plans the households, registers them and their devices through the platform's
 * HTTP API, then runs every device as its own MQTT client with its own login and a last will, on a
 * simulated clock `speed` times faster than the real one. Used by `npm run sim:devices` and by the
 * demo mode of src/server.ts.
 *
 * Messages carry the real time they are sent at; the simulated clock only sets the hour of the day
 * that the rates follow and how far batteries have drained.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { refusesMqtt5 } from '../../src/lib/mqtt/protocol-version';
import { Random } from '../random';
import { buildStreetGraph, type StreetGraph } from '../responders/street-path';
import { DeviceModel, shanghaiIso, type SimEvent } from './model';
import { planFleet, type DeviceKind, type HouseholdPlan } from './plan';
import { PlatformClient, type DeviceLogin } from './platform';

export interface FleetLog {
	info(message: string): void;
	warn(message: string): void;
}

export interface FleetOptions {
	/** The platform's base URL, e.g. http://127.0.0.1:3000. */
	url: string;
	households: number;
	seed: string | number;
	/** Simulated seconds per real second (default 1). */
	speed?: number;
	/** The broker; by default the one /api/health names (the embedded broker says where it is). */
	mqttUrl?: string;
	districtCode?: string;
	/** Simulated time the run starts at (default: now). */
	startAt?: Date;
	/** Shortest real interval between two telemetry messages of a device, in seconds (default 15). */
	minTelemetryS?: number;
	log?: FleetLog;
	/** Told of every event a device sent (after the broker acknowledged it). */
	onEvent?: (deviceId: string, event: SimEvent, eventId: string) => void;
	/** Told of every message a device published once it settled: acknowledged, or failed (scenarios count them). */
	onPublish?: (message: PublishedMessage) => void;
	/** Simulated time after which the devices raise no more events of their own (telemetry goes on). */
	eventsUntil?: Date;
	/**
	 * Called once every device is registered, before any connects: a broker with a password file
	 * (Mosquitto) must be told the new logins first (`npm run mqtt:acl`, then SIGHUP).
	 */
	onRegistered?: (logins: { id: string; secret: string }[]) => Promise<void>;
}

/** One message a device published, as `onPublish` and the scripted publishes report it. */
export interface PublishedMessage {
	deviceId: string;
	householdExternalId: string;
	topic: string;
	/** `raw` for bytes a caller chose (`publishRaw`), otherwise the contract's kind. */
	kind: 'event' | 'telemetry' | 'status' | 'raw';
	qos: 0 | 1;
	/** Events only: their type, id and simulated time. */
	eventType?: SimEvent['type'];
	eventId?: string;
	simAt?: number;
	/** Real time (epoch ms) the message was handed to the client; for events, exactly the time in its `at`. */
	sentAt: number;
	/** Real time the broker acknowledged it (QoS 1); null when it failed or was QoS 0. */
	ackedAt: number | null;
	error?: string;
}

export interface FleetDevice {
	id: string;
	kind: DeviceKind;
	householdExternalId: string;
}

export interface FleetStats {
	devices: number;
	connected: number;
	events: Partial<Record<SimEvent['type'], number>>;
	telemetry: number;
	commands: number;
	publishErrors: number;
	/** Messages handed to the devices' clients (every kind, scripted ones included). */
	published: number;
	/** QoS 1 messages the broker acknowledged. */
	acknowledged: number;
	/** Sends again of QoS 1 messages the broker acknowledged with 0x10 (nobody subscribed yet). */
	resent: number;
}

export interface Fleet {
	households: readonly HouseholdPlan[];
	devices: readonly FleetDevice[];
	/** The simulated time now. */
	simNow(): number;
	stats(): FleetStats;
	/** Disconnects every device cleanly (no last will: as if switched off properly). */
	stop(): Promise<void>;
	/**
	 * Drops connections without a goodbye, like a power cut: the broker sends each last will. Without
	 * ids, every device; with ids, only those (a street's power cut), and the others go on. Returns
	 * the ids of the devices that were connected: the broker sends a last will for each of them.
	 */
	kill(deviceIds?: Iterable<string>): string[];
	/** Whether the device is connected to the broker now. */
	isConnected(deviceId: string): boolean;
	/** Publishes an event of `type` from the device now, as its own (scripted scenarios); resolves once settled. */
	publishEvent(
		deviceId: string,
		type: SimEvent['type'],
		details?: Pick<SimEvent, 'confidence' | 'position' | 'vitals'>
	): Promise<PublishedMessage>;
	/** Publishes bytes the caller chose on any topic from the device's connection (misbehaving devices). */
	publishRaw(
		deviceId: string,
		topic: string,
		payload: string | Buffer,
		qos: 0 | 1
	): Promise<PublishedMessage>;
}

const TICK_MS = 250;
const silent: FleetLog = { info: () => {}, warn: () => {} };

/** Runs `work` over `items` with at most `limit` at a time. */
async function inBatches<T, R>(
	items: readonly T[],
	limit: number,
	work: (item: T) => Promise<R>
): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await work(items[i]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}

/** A broker URL without the userinfo: each device logs in as itself. */
function withoutLogin(url: string): string {
	const parsed = new URL(url);
	parsed.username = '';
	parsed.password = '';
	return parsed.href;
}

interface RunningDevice {
	device: FleetDevice;
	model: DeviceModel;
	client: MqttClient;
	topic: (kind: 'event' | 'telemetry' | 'status' | 'cmd') => string;
	telemetryEveryMs: number;
	nextTelemetry: number;
	eventCount: number;
	/** Killed: its connection is gone for good and it publishes nothing more. */
	dead: boolean;
	/** Message ids the broker acknowledged with 0x10 (no matching subscribers): nobody heard them. */
	unheard: Set<number>;
}

/** MQTT 5 PUBACK reason code 0x10: the broker took the message but no subscriber matched it. */
const NO_MATCHING_SUBSCRIBERS = 16;
/** Waits before sending an unheard message again: the platform resubscribes within seconds of a broker restart. */
const RESEND_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 15_000];

export async function startFleet(options: FleetOptions): Promise<Fleet> {
	const log = options.log ?? silent;
	const speed = options.speed ?? 1;
	if (!(speed >= 1)) throw new Error('speed must be 1 or more');
	const districtCode = options.districtCode ?? '350203';
	const platform = new PlatformClient(options.url, districtCode);

	let brokerUrl = options.mqttUrl;
	if (!brokerUrl) {
		brokerUrl = (await platform.health()).broker.url;
		if (!brokerUrl)
			throw new Error(
				'the platform does not say where its broker is (not the embedded one): pass --mqtt URL'
			);
	}
	brokerUrl = withoutLogin(brokerUrl);

	const households = planFleet({
		seed: options.seed,
		households: options.households,
		cells: await platform.populationCells()
	});
	// GPS watches walk the district's streets, as served to any client of the API.
	let street: StreetGraph | null = null;
	if (households.some((h) => h.devices.some((d) => d.kind === 'gps_watch'))) {
		const network = await platform.walkNetwork().catch((error: Error) => {
			log.warn(`no walking network (${error.message}): GPS watches walk loops round home`);
			return null;
		});
		if (network?.features.length) street = buildStreetGraph(network);
	}
	log.info(`registering ${households.length} households and their devices at ${platform.baseUrl}`);
	const logins = new Map<string, DeviceLogin>();
	await inBatches(households, 4, async (household) => {
		await platform.ensureHousehold(household);
		for (const device of household.devices)
			logins.set(device.id, await platform.ensureDevice(household.externalId, device));
	});
	await options.onRegistered?.([...logins].map(([id, login]) => ({ id, secret: login.secret })));

	const realStart = Date.now();
	const simStart = options.startAt?.getTime() ?? realStart;
	const simNow = () => simStart + (Date.now() - realStart) * speed;
	// Event ids must be new on every run (the platform stores each (device, eventId) once).
	const runTag = Math.floor(realStart / 1000).toString(36);
	const root = new Random(options.seed);
	const minTelemetryMs = (options.minTelemetryS ?? 15) * 1000;
	const stats: FleetStats = {
		devices: 0,
		connected: 0,
		events: {},
		telemetry: 0,
		commands: 0,
		publishErrors: 0,
		published: 0,
		acknowledged: 0,
		resent: 0
	};
	let stopped = false;
	const eventsUntil = options.eventsUntil?.getTime() ?? Infinity;

	/**
	 * Publishes and reports the outcome; never rejects (a failure is counted and reported). A QoS 1
	 * message acknowledged with 0x10 (no matching subscribers) reached nobody — after a broker
	 * restart, Mosquitto takes messages before the platform has subscribed again — so, as an alarm
	 * device must, it is kept and sent again (the same bytes: the platform stores an event once per
	 * event id) until someone hears it or the device stops.
	 */
	const send = async (
		running: RunningDevice,
		message: Omit<PublishedMessage, 'deviceId' | 'householdExternalId' | 'ackedAt' | 'error'>,
		payload: string | Buffer
	): Promise<PublishedMessage> => {
		stats.published++;
		const { device } = running;
		const settled: PublishedMessage = {
			deviceId: device.id,
			householdExternalId: device.householdExternalId,
			...message,
			ackedAt: null
		};
		try {
			for (let attempt = 0; ; attempt++) {
				const sent = await running.client.publishAsync(message.topic, payload, { qos: message.qos });
				if (message.qos === 0) break;
				const messageId = sent?.messageId;
				if (messageId === undefined || !running.unheard.delete(messageId)) {
					settled.ackedAt = Date.now();
					stats.acknowledged++;
					break;
				}
				if (stopped || running.dead) {
					settled.error = 'no subscriber heard it (PUBACK 0x10) before the device stopped';
					stats.publishErrors++;
					break;
				}
				stats.resent++;
				await sleep(RESEND_DELAYS_MS[Math.min(attempt, RESEND_DELAYS_MS.length - 1)]);
			}
		} catch (error) {
			stats.publishErrors++;
			settled.error = (error as Error).message;
		}
		options.onPublish?.(settled);
		return settled;
	};

	const publish = (
		running: RunningDevice,
		kind: 'event' | 'telemetry' | 'status',
		payload: object,
		event?: { type: SimEvent['type']; eventId: string; simAt: number },
		sentAt = Date.now()
	) =>
		send(
			running,
			{
				topic: running.topic(kind),
				kind,
				qos: 1,
				sentAt,
				eventType: event?.type,
				eventId: event?.eventId,
				simAt: event?.simAt
			},
			JSON.stringify({ v: 1, ...payload })
		);

	const eventPayload = (r: RunningDevice, event: Omit<SimEvent, 'simAt'>, now: number) => {
		const eventId = `${r.device.id}-${runTag}-${++r.eventCount}`.slice(-64);
		return {
			eventId,
			payload: {
				eventId,
				type: event.type,
				at: shanghaiIso(now),
				confidence: event.confidence,
				position: event.position,
				vitals: event.vitals
			}
		};
	};

	/** Connects a device; rejects with the broker's refusal. */
	const connectAs = async (
		household: HouseholdPlan,
		plan: HouseholdPlan['devices'][number],
		protocolVersion: 4 | 5
	): Promise<RunningDevice> => {
		const login = logins.get(plan.id)!;
		const topic = (kind: string) => `care/${districtCode}/devices/${plan.id}/${kind}`;
		const client = mqtt.connect(brokerUrl, {
			clientId: plan.id,
			username: plan.id,
			password: login.secret,
			protocolVersion,
			reconnectPeriod: 3000,
			connectTimeout: 10_000,
			will: {
				topic: topic('status'),
				payload: Buffer.from(JSON.stringify({ v: 1, state: 'offline' })),
				qos: 1,
				retain: false
			}
		});
		const heartbeatMs = plan.heartbeatS * 1000;
		const telemetryEveryMs = Math.min(heartbeatMs, Math.max(heartbeatMs / speed, minTelemetryMs));
		const running: RunningDevice = {
			device: { id: plan.id, kind: plan.kind, householdExternalId: household.externalId },
			model: new DeviceModel(plan, household, root.fork(`device/${plan.id}`), simStart, street),
			client,
			topic,
			telemetryEveryMs,
			// Spread the first reports over one interval, so the devices do not all speak at once.
			nextTelemetry: realStart + Math.random() * telemetryEveryMs,
			eventCount: 0,
			dead: false,
			unheard: new Set()
		};
		client.on('packetreceive', (packet) => {
			if (packet.cmd === 'puback' && packet.reasonCode === NO_MATCHING_SUBSCRIBERS)
				running.unheard.add(packet.messageId!);
		});
		client.on('connect', () => {
			if (running.dead) return;
			void publish(running, 'status', {
				state: 'online',
				at: shanghaiIso(Date.now()),
				firmware: plan.firmware,
				heartbeatS: plan.heartbeatS
			});
		});
		client.on('message', () => stats.commands++);
		// Errors before the first connection are the caller's to report; after it, MQTT.js reconnects by itself.
		let wasConnected = false;
		client.on('error', (error) => {
			if (wasConnected) log.warn(`device ${plan.id}: ${error.message}`);
		});
		try {
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no answer from the broker within 15 s')), 15_000);
				client.once('connect', () => {
					clearTimeout(timer);
					resolve();
				});
				client.once('error', (error) => {
					clearTimeout(timer);
					reject(error);
				});
			});
			wasConnected = true;
			await client.subscribeAsync(topic('cmd'), { qos: 1 });
			return running;
		} catch (error) {
			client.end(true);
			throw error;
		}
	};

	/**
	 * MQTT 5 where the broker speaks it, so that a PUBACK can say nobody heard a message; 3.1.1
	 * otherwise (the embedded aedes), learnt from the first refusal.
	 */
	let protocolVersion: 4 | 5 = 5;
	const connect = async (
		household: HouseholdPlan,
		plan: HouseholdPlan['devices'][number]
	): Promise<RunningDevice | null> => {
		for (;;) {
			const version = protocolVersion;
			try {
				return await connectAs(household, plan, version);
			} catch (error) {
				if (version === 5 && refusesMqtt5(error)) {
					protocolVersion = 4;
					continue;
				}
				refusals.push(`${plan.id}: ${(error as Error).message}`);
				return null;
			}
		}
	};

	const refusals: string[] = [];
	const pairs = households.flatMap((household) => household.devices.map((plan) => ({ household, plan })));
	const running = (await inBatches(pairs, 20, ({ household, plan }) => connect(household, plan))).filter(
		(r): r is RunningDevice => r !== null
	);
	stats.devices = running.length;
	if (refusals.length > 0)
		log.warn(
			`${refusals.length} devices could not connect (first: ${refusals[0]}); with Mosquitto, run npm run mqtt:acl and reload it`
		);
	log.info(`${running.length} of ${pairs.length} devices connected to ${brokerUrl} at ${speed}× speed`);

	const tick = () => {
		if (stopped) return;
		const now = Date.now();
		const sim = simNow();
		for (const r of running) {
			if (r.dead) continue;
			while (r.model.nextAt() <= Math.min(sim, eventsUntil)) {
				const event = r.model.takeEvent();
				const { eventId, payload } = eventPayload(r, event, now);
				stats.events[event.type] = (stats.events[event.type] ?? 0) + 1;
				void publish(r, 'event', payload, { type: event.type, eventId, simAt: event.simAt }, now).then(
					(sent) => sent.ackedAt !== null && options.onEvent?.(r.device.id, event, eventId)
				);
			}
			if (now >= r.nextTelemetry) {
				r.nextTelemetry = now + r.telemetryEveryMs;
				stats.telemetry++;
				void publish(r, 'telemetry', { at: shanghaiIso(now), ...r.model.telemetry(sim) });
			}
		}
	};
	const ticker = setInterval(tick, TICK_MS);
	ticker.unref?.();

	const byId = new Map(running.map((r) => [r.device.id, r]));
	const alive = (deviceId: string): RunningDevice => {
		const r = byId.get(deviceId);
		if (!r) throw new Error(`deviceId ${deviceId} is not a connected device of this fleet`);
		if (r.dead) throw new Error(`deviceId ${deviceId} was killed`);
		return r;
	};

	return {
		households,
		devices: running.map((r) => r.device),
		simNow,
		stats: () => ({
			...stats,
			connected: running.filter((r) => r.client.connected).length,
			events: { ...stats.events }
		}),
		async stop() {
			stopped = true;
			clearInterval(ticker);
			await Promise.all(running.map((r) => r.client.endAsync().catch(() => {})));
		},
		kill(deviceIds) {
			const doomed = deviceIds ? [...deviceIds].map((id) => byId.get(id)) : running;
			const cut: string[] = [];
			for (const r of doomed) {
				if (!r || r.dead) continue;
				if (r.client.connected) cut.push(r.device.id);
				r.dead = true;
				r.client.end(true);
			}
			if (running.every((r) => r.dead)) {
				stopped = true;
				clearInterval(ticker);
			}
			return cut;
		},
		isConnected(deviceId) {
			const r = byId.get(deviceId);
			return r !== undefined && !r.dead && r.client.connected;
		},
		async publishEvent(deviceId, type, details = {}) {
			const r = alive(deviceId);
			const now = Date.now();
			const simAt = simNow();
			const { eventId, payload } = eventPayload(r, { type, ...details }, now);
			stats.events[type] = (stats.events[type] ?? 0) + 1;
			return publish(r, 'event', payload, { type, eventId, simAt }, now);
		},
		async publishRaw(deviceId, topic, payload, qos) {
			return send(alive(deviceId), { topic, kind: 'raw', qos, sentAt: Date.now() }, payload);
		}
	};
}
