/**
 * Runs one scripted scenario against a platform: starts a console observer and a device fleet from
 * the seed, plays the scenario's script on the simulated clock, lets the platform settle, and judges
 * the run (summary.ts). Everything goes through MQTT, the HTTP API and socket.io, never the database.
 * Called by `npm run sim:scenario` (cli.ts) and the scenario test.
 *
 * Repeatable from the seed: the fleet's own events are a function of the seed and the simulated time
 * (the run starts at the scenario's fixed simulated time and stops raising events at its end), and
 * every scripted step is drawn from the seed and planned at a simulated time.
 */
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { startFleet, type Fleet, type PublishedMessage } from '../devices/fleet';
import type { SimEvent } from '../devices/model';
import type { HouseholdPlan } from '../devices/plan';
import { PlatformClient } from '../devices/platform';
import { Random } from '../random';
import { startObserver } from './observer';
import {
	matchAlerts,
	summarise,
	type Expectation,
	type ObservedPush,
	type ScenarioSummary,
	type SentAlert,
	type SentMessage
} from './summary';
import { platformFetch } from '../platform-session';

/**
 * Events that raise an alert (README, "Dispatch": alerting events open or join the household's
 * incident); door, motion and test events are context only.
 */
export const ALERTING_EVENTS: ReadonlySet<string> = new Set([
	'sos',
	'fall',
	'smoke',
	'gas',
	'water_leak',
	'no_motion',
	'abnormal_vitals',
	'geofence_exit',
	'low_battery'
]);

export interface Street {
	code: string;
	name: string;
	households: HouseholdPlan[];
}

/** A broker the scenario controls (stage.ts): only a run that brought its own broker can restart it. */
export interface BrokerControl {
	kind: 'mosquitto';
	/** The broker goes away: every connection drops. */
	stop(): Promise<void>;
	/** It comes back on the same address; resolves once it admits logins. */
	start(): Promise<void>;
	/** Admits newly registered devices (a password file rewritten and reloaded). */
	admitDevices(logins: { id: string; secret: string }[]): Promise<void>;
}

/** What a scenario's script can do; every step waits for its simulated time first. */
export interface ScenarioContext {
	fleet: Fleet;
	/** The script's own random stream (the fleet's are separate). */
	rng: Random;
	/** Simulated start and end of the run, epoch ms: scripts plan their steps as shares of it. */
	start: number;
	end: number;
	/** Simulated seconds per real second. */
	speed: number;
	/** The platform's broker is its embedded aedes (which refuses and dead-letters foreign topics). */
	embeddedBroker: boolean;
	districtCode: string;
	/** The broker, when the run controls it (broker-restart); undefined against someone else's broker. */
	broker?: BrokerControl;
	/** Real seconds a broker outage lasts (RunOptions.outageS), for scripts that cause one. */
	outageS?: number;
	/** The fleet's households by the street they live in (the district's street polygons), largest first. */
	streets(): Promise<Street[]>;
	/** Resolves when the simulated clock reaches `simAt`. */
	at(simAt: number): Promise<void>;
	/** At `simAt`, the device reports an event of `type`. */
	event(deviceId: string, type: SimEvent['type'], simAt: number): Promise<void>;
	/** At `simAt`, the devices lose power: connections cut, last wills expected. */
	kill(deviceIds: readonly string[], simAt: number): Promise<void>;
	/**
	 * At `simAt`, the device publishes bytes of its choosing. `cutsConnection`: the broker drops the
	 * device for it (the embedded broker does for a topic that is not the device's own), so its last
	 * will follows.
	 */
	raw(
		deviceId: string,
		topic: string,
		payload: string | Buffer,
		options: { qos: 0 | 1; expect: Expectation; simAt: number; cutsConnection?: boolean }
	): Promise<void>;
	/**
	 * The devices' last wills are due (the broker dropped them on its own, e.g. Mosquitto shutting down
	 * sends every connected client's will): each must open a device-offline alert.
	 */
	expectLastWills(deviceIds: readonly string[], simAt: number): void;
	/** Real seconds the script may run for (RunOptions.maxSeconds), for scripts that decide their own length. */
	maxSeconds?: number;
	/** The platform's /metrics now, summed over ingest nodes; null when it serves none. */
	metrics(): Promise<ReadonlyMap<string, number> | null>;
	/** Alerts of this run the console has been told about so far, with their publish → push time. */
	reported(): Promise<{ alert: SentAlert; latencyMs: number }[]>;
	/** A figure for the summary. */
	note(name: string, value: string | number): void;
	log(line: string): void;
}

export interface Scenario {
	name: string;
	description: string;
	households: number;
	/** Simulated seconds per real second. */
	speed: number;
	/** Simulated start, ISO 8601 with a zone (a fixed time: part of what makes a run repeatable). */
	startAt: string;
	/** Simulated length of the run. */
	minutes: number;
	/**
	 * The script decides when the run ends (stress): the fleet raises no events of its own and the
	 * run does not wait for the simulated end once the script returns.
	 */
	openEnded?: boolean;
	run(ctx: ScenarioContext): Promise<void>;
}

export interface RunOptions {
	url: string;
	seed: string | number;
	mqttUrl?: string;
	districtCode?: string;
	/** Overrides of the scenario's own figures (a shorter run for a test). */
	households?: number;
	speed?: number;
	minutes?: number;
	/** A broker the run controls (broker-restart needs one); its devices are admitted before they connect. */
	broker?: BrokerControl;
	/** Real seconds a scripted broker outage lasts (broker-restart; default the scenario's own). */
	outageS?: number;
	/** Real seconds an open-ended script may run (stress; default its own). */
	maxSeconds?: number;
	/** How long to wait after the last publish for the platform to catch up (default 20 s). */
	settleS?: number;
	log?: (line: string) => void;
}

export interface ScenarioResult {
	summary: ScenarioSummary;
	/** Every alert caused, in simulated-time order: `+SECONDS DEVICE TYPE`. The same seed gives the same list. */
	alertSequence: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<ScenarioResult> {
	const log = options.log ?? (() => {});
	const districtCode = options.districtCode ?? '350203';
	const seed = String(options.seed);
	const speed = options.speed ?? scenario.speed;
	const minutes = options.minutes ?? scenario.minutes;
	const start = Date.parse(scenario.startAt);
	const end = start + minutes * 60_000;
	const platform = new PlatformClient(options.url, districtCode);
	const health = await platform.health();
	const embeddedBroker = !options.mqttUrl && health.broker.kind === 'embedded-aedes';

	const observer = await startObserver(options.url, districtCode);
	let fleet: Fleet | undefined;
	try {
		const metricsBefore = await observer.metrics();
		const baseline = new Map((await observer.openIncidents()).map((i) => [i.id, i.alertCount]));

		const messages: PublishedMessage[] = [];
		const expectations = new Map<PublishedMessage, Expectation>();
		const alerts: SentAlert[] = [];
		const alertOf = new Map<PublishedMessage, SentAlert>();
		let lastWills = 0;
		const notes: Record<string, string | number> = {};
		fleet = await startFleet({
			url: options.url,
			households: options.households ?? scenario.households,
			seed,
			speed,
			mqttUrl: options.mqttUrl,
			districtCode,
			startAt: new Date(start),
			eventsUntil: new Date(scenario.openEnded ? start : end),
			log: { info: (m) => log(m), warn: (m) => log(m) },
			onRegistered: options.broker ? (logins) => options.broker!.admitDevices(logins) : undefined,
			onPublish(message) {
				messages.push(message);
				if (message.kind !== 'event' || message.ackedAt === null) return;
				if (!ALERTING_EVENTS.has(message.eventType!)) return;
				const alert: SentAlert = {
					deviceId: message.deviceId,
					householdExternalId: message.householdExternalId,
					type: message.eventType!,
					source: 'event',
					sentAt: message.sentAt,
					simAt: message.simAt!,
					eventId: message.eventId
				};
				alerts.push(alert);
				alertOf.set(message, alert);
			}
		});
		const running = fleet;
		const householdOf = new Map(running.devices.map((d) => [d.id, d.householdExternalId]));
		const willsOf = (deviceIds: readonly string[], simAt: number) => {
			const now = Date.now();
			for (const deviceId of deviceIds) {
				lastWills++;
				alerts.push({
					deviceId,
					householdExternalId: householdOf.get(deviceId)!,
					type: 'device_offline',
					source: 'last_will',
					sentAt: now,
					simAt
				});
			}
		};
		const at = async (simAt: number) => {
			for (let wait = (simAt - running.simNow()) / speed; wait > 0; wait = (simAt - running.simNow()) / speed)
				await sleep(Math.min(wait + 1, 1000));
		};
		const ours = new Set(running.households.map((h) => h.externalId));
		const observedPushes = async (): Promise<ObservedPush[]> => {
			const pushes: ObservedPush[] = [];
			for (const push of [...observer.pushes]) {
				const externalId = await observer.externalIdOf(push.incident).catch(() => null);
				pushes.push({
					incidentId: push.incident.id,
					householdExternalId: externalId !== null && ours.has(externalId) ? externalId : null,
					opened: push.opened,
					alertCount: push.incident.alertCount,
					receivedAt: push.receivedAt
				});
			}
			return pushes;
		};
		let streets: Promise<Street[]> | undefined;
		const ctx: ScenarioContext = {
			fleet: running,
			rng: new Random(seed).fork(`scenario/${scenario.name}`),
			start,
			end,
			speed,
			embeddedBroker,
			districtCode,
			broker: options.broker,
			outageS: options.outageS,
			streets: () => (streets ??= streetsOf(options.url, districtCode, running.households)),
			at,
			async event(deviceId, type, simAt) {
				await at(simAt);
				const sent = await running.publishEvent(deviceId, type);
				// Scripted alerts keep the time they were planned for, not the tick they happened to leave on.
				const alert = alertOf.get(sent);
				if (alert) alert.simAt = simAt;
			},
			async kill(deviceIds, simAt) {
				await at(simAt);
				willsOf(running.kill(deviceIds), simAt);
			},
			async raw(deviceId, topic, payload, { qos, expect, simAt, cutsConnection }) {
				await at(simAt);
				const connected = running.isConnected(deviceId);
				const sent = await running.publishRaw(deviceId, topic, payload, qos);
				expectations.set(sent, expect);
				if (cutsConnection && connected) willsOf([deviceId], simAt);
			},
			expectLastWills(deviceIds, simAt) {
				willsOf(deviceIds, simAt);
			},
			maxSeconds: options.maxSeconds,
			metrics: () => observer.metrics(),
			reported: async () => matchAlerts(alerts, await observedPushes(), baseline).reported,
			note(name, value) {
				notes[name] = value;
			},
			log
		};

		log(`scenario ${scenario.name}: ${scenario.description}`);
		await scenario.run(ctx);
		if (!scenario.openEnded) await at(end);
		// A clean stop: every message still in flight is acknowledged first, and no last will is sent.
		await running.stop();

		const judge = async (): Promise<ScenarioSummary> => {
			const pushes = await observedPushes();
			const sentMessages: SentMessage[] = messages.map((m) => ({
				qos: m.qos,
				acknowledged: m.ackedAt !== null,
				expect: m.kind === 'raw' ? (expectations.get(m) ?? 'ignored') : 'stored'
			}));
			return summarise({
				scenario: scenario.name,
				seed,
				messages: sentMessages,
				lastWills,
				alerts,
				pushes,
				baseline,
				metricsBefore,
				metricsAfter: await observer.metrics(),
				notes: {
					households: running.households.length,
					devices: running.devices.length,
					'simulated time': `${scenario.startAt} + ${minutes} min at ${speed}×`,
					broker: options.broker
						? `Mosquitto started by the scenario (${options.mqttUrl ?? health.broker.url})`
						: embeddedBroker
							? 'embedded aedes'
							: 'external (MQTT_URL)',
					'sent again after PUBACK 0x10 (nobody subscribed yet)': running.stats().resent,
					...notes
				}
			});
		};
		const settleUntil = Date.now() + (options.settleS ?? 20) * 1000;
		let summary = await judge();
		const settled = (s: ScenarioSummary) =>
			s.notStored.total === 0 && (s.deadLetters.counted ?? Infinity) >= s.deadLetters.expected;
		while (!settled(summary) && Date.now() < settleUntil) {
			await sleep(500);
			summary = await judge();
		}
		const alertSequence = [...alerts]
			.sort(
				(a, b) => a.simAt - b.simAt || a.deviceId.localeCompare(b.deviceId) || a.type.localeCompare(b.type)
			)
			.map((a) => `+${Math.round((a.simAt - start) / 1000)}s ${a.deviceId} ${a.type}`);
		return { summary, alertSequence };
	} finally {
		fleet?.kill();
		observer.close();
	}
}

/** Households by the street polygon their home lies in (GET /api/districts/{code}/regions), largest first. */
async function streetsOf(
	url: string,
	districtCode: string,
	households: readonly HouseholdPlan[]
): Promise<Street[]> {
	const response = await platformFetch(`${url.replace(/\/+$/, '')}/api/districts/${districtCode}/regions`);
	if (!response.ok) throw new Error(`GET regions: ${response.status}`);
	const regions = (await response.json()) as FeatureCollection<
		Polygon | MultiPolygon,
		{ code: string; level: string; name: string }
	>;
	const streets = regions.features
		.filter((f) => f.properties.level === 'street')
		.map((f) => ({
			feature: f as Feature<Polygon | MultiPolygon>,
			street: { code: f.properties.code, name: f.properties.name, households: [] as HouseholdPlan[] }
		}));
	for (const household of households) {
		const home = turf.point(household.location);
		streets.find((s) => turf.booleanPointInPolygon(home, s.feature))?.street.households.push(household);
	}
	return streets
		.map((s) => s.street)
		.filter((s) => s.households.length > 0)
		.sort((a, b) => b.households.length - a.households.length || a.code.localeCompare(b.code));
}
