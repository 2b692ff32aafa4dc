/**
 * What a simulated device reports, and when: the pure part of a device. Events arrive as a
 * non-homogeneous Poisson process whose rate follows the hour of the day in Asia/Shanghai (falls
 * likelier at night and on waking, inactivity only in the hours someone should be moving, smoke and
 * gas rarely and around meals); telemetry is read off the simulated clock (battery draining, signal,
 * vitals while in bed, a GPS watch's walk along the streets). Everything is a function of the seed and the simulated
 * time, so a run is repeatable; nothing here knows about MQTT or the real clock.
 */
import { nearestNode, walkingSecondsFrom } from '../../src/lib/routing/walk-graph';
import type { Random } from '../random';
import {
	planRoute,
	positionAt as positionOnRoute,
	routeSeconds,
	type Route,
	type StreetGraph
} from '../responders/street-path';
import type { DeviceKind, DevicePlan, RiskLevel } from './plan';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Asia/Shanghai has no daylight saving time: always UTC+8. */
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** The hour of the day (0–23) in Asia/Shanghai at a time in epoch milliseconds. */
export function shanghaiHour(ms: number): number {
	return Math.floor(((((ms + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** ISO 8601 in Asia/Shanghai time, as the MQTT contract's examples write it: `2026-11-29T06:12:03.000+08:00`. */
export function shanghaiIso(ms: number): string {
	return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** Events a day on average, spread over the hours in proportion to `shape` (24 weights, hour 0 first). */
export interface RateProfile {
	perDay: number;
	shape: readonly number[];
}

const hours = (weights: (hour: number) => number) => Array.from({ length: 24 }, (_, h) => weights(h));

/** Night, and above all the hour of getting up (dark, dizzy, hurrying to the toilet). */
export const FALL_SHAPE = [
	1.6, 1.6, 1.6, 1.6, 1.8, 2.2, 2.8, 3, 2.4, 1, 0.8, 0.8, 0.9, 1, 0.8, 0.8, 0.8, 0.9, 1, 1, 1, 1.1, 1.2, 1.4
];
/** Awake hours: a button pressed, a door opened. */
export const DAYTIME_SHAPE = hours((h) => (h < 6 ? 0.3 : h === 6 || h === 22 ? 0.6 : h === 23 ? 0.4 : 1));
/** Around breakfast, lunch and dinner. */
export const MEALS_SHAPE = hours((h) =>
	[6, 7].includes(h) ? 1.5 : [11, 12, 17, 18, 19].includes(h) ? 3 : h < 6 ? 0.3 : 0.6
);
/** Only when someone should be up and about: no alarm for sleeping through the night. */
export const AWAKE_SHAPE = hours((h) => (h >= 8 && h <= 20 ? 1 : h === 21 ? 0.5 : 0));
/** In bed: the night, and a nap after lunch. */
export const IN_BED_SHAPE = hours((h) => (h >= 22 || h < 7 ? 1 : h === 13 ? 0.6 : 0));
/** Out of the house: the day's walks and errands. */
export const OUTINGS_SHAPE = hours((h) => (h >= 9 && h <= 17 ? 1 : [7, 8, 18, 19].includes(h) ? 0.5 : 0));
export const FLAT_SHAPE = hours(() => 1);

/**
 * The time of the next event after `fromMs` (epoch ms, simulated), drawn exactly for a rate that is
 * constant within each hour: an Exp(1) amount of "hazard" is spent hour by hour until it runs out.
 * Infinity when the profile never fires.
 */
export function nextEventAt(rng: Random, profile: RateProfile, fromMs: number): number {
	const total = profile.shape.reduce((sum, w) => sum + w, 0);
	if (!(profile.perDay > 0) || !(total > 0)) return Infinity;
	let need = rng.exponential();
	let t = fromMs;
	// Ten years of hours: far beyond any run, and a bound on the loop for very rare events.
	for (let step = 0; step < 24 * 3653; step++) {
		const hourEnd = t - (((t % HOUR_MS) + HOUR_MS) % HOUR_MS) + HOUR_MS;
		const perMs = (profile.perDay * profile.shape[shanghaiHour(t)]) / total / HOUR_MS;
		const available = perMs * (hourEnd - t);
		if (perMs > 0 && available >= need) return t + need / perMs;
		need -= available;
		t = hourEnd;
	}
	return Infinity;
}

export type SimEventType =
	| 'sos'
	| 'fall'
	| 'smoke'
	| 'gas'
	| 'water_leak'
	| 'door_open'
	| 'door_closed'
	| 'no_motion'
	| 'motion'
	| 'abnormal_vitals'
	| 'geofence_exit'
	| 'low_battery'
	| 'test';

const RISK_FACTOR: Record<RiskLevel, number> = { low: 0.6, medium: 1, high: 1.8 };

/**
 * Events a day per device by kind, for a resident of medium risk. Telecare services commonly see a
 * few alarms per client a month, most of them accidental or false; these rates give about one alert
 * a household a week, so a demo of 40 homes at 600× speed shows a couple of alerts a minute.
 */
export function eventProfiles(
	kind: DeviceKind,
	risk: RiskLevel
): { type: SimEventType; profile: RateProfile }[] {
	const r = RISK_FACTOR[risk];
	switch (kind) {
		case 'sos_button':
			return [
				{ type: 'sos', profile: { perDay: 0.05 * r, shape: DAYTIME_SHAPE } },
				{ type: 'test', profile: { perDay: 1 / 30, shape: DAYTIME_SHAPE } }
			];
		case 'fall_detector':
			return [{ type: 'fall', profile: { perDay: 0.04 * r, shape: FALL_SHAPE } }];
		case 'smoke':
			return [{ type: 'smoke', profile: { perDay: 0.002, shape: MEALS_SHAPE } }];
		case 'gas':
			return [{ type: 'gas', profile: { perDay: 0.001, shape: MEALS_SHAPE } }];
		case 'water_leak':
			return [{ type: 'water_leak', profile: { perDay: 0.004, shape: FLAT_SHAPE } }];
		case 'door':
			return [{ type: 'door_open', profile: { perDay: 6, shape: DAYTIME_SHAPE } }];
		case 'inactivity':
			return [
				{ type: 'motion', profile: { perDay: 5, shape: AWAKE_SHAPE } },
				{ type: 'no_motion', profile: { perDay: 0.02 * r, shape: AWAKE_SHAPE } }
			];
		case 'bed_vitals':
			return [{ type: 'abnormal_vitals', profile: { perDay: 0.03 * r, shape: IN_BED_SHAPE } }];
		case 'gps_watch':
			return [
				{ type: 'sos', profile: { perDay: 0.01 * r, shape: OUTINGS_SHAPE } },
				{ type: 'fall', profile: { perDay: 0.01 * r, shape: OUTINGS_SHAPE } },
				{ type: 'geofence_exit', profile: { perDay: 0.03, shape: OUTINGS_SHAPE } }
			];
	}
}

/** Battery percent lost per simulated day, by kind (a GPS watch is charged every night instead). */
const DRAIN_PER_DAY: Partial<Record<DeviceKind, number>> = {
	sos_button: 100 / 730,
	fall_detector: 100 / 240,
	smoke: 100 / 1825,
	water_leak: 100 / 730,
	door: 100 / 730,
	inactivity: 100 / 545
};

export const LOW_BATTERY_PERCENT = 20;

export interface SimEvent {
	type: SimEventType;
	/** Simulated time, epoch ms. */
	simAt: number;
	confidence?: number;
	position?: { lon: number; lat: number; accuracyM: number };
	vitals?: { heartRate: number; breathingRate: number };
}

export interface TelemetryReading {
	battery?: number;
	rssi: number;
	heartRate?: number;
	breathingRate?: number;
	inBed?: boolean;
	position?: { lon: number; lat: number; accuracyM: number };
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Comfortable walking speeds of people in their seventies, metres per second: about 1.1–1.3 for
 * 70–79-year-olds (Bohannon, "Comfortable and maximum walking speed of adults aged 20–79 years",
 * Age and Ageing 26(1), 1997), slower with a stick or a shopping bag.
 */
export const WATCH_WALKING_MPS = { min: 0.8, max: 1.2 } as const;

/** A GPS watch's walk of one day: out along the streets, a stay, and the same way back. */
interface DayWalk {
	day: number;
	/** Null: no walk that day (no network near home). */
	route: Route | null;
	/** Simulated epoch ms it leaves home, reaches the turning point, and leaves it again. */
	leaves: number;
	arrives: number;
	turnsBack: number;
	accuracyM: number;
}

export class DeviceModel {
	readonly plan: DevicePlan;
	readonly #home: [number, number];
	readonly #start: number;
	readonly #streams: { type: SimEventType; profile: RateProfile; rng: Random; next: number }[];
	/** Events that follow another (a door closing after it opened), by time. */
	readonly #followUps: SimEvent[] = [];
	readonly #details: Random;
	readonly #readings: Random;
	readonly #dayRoutes: Random;
	readonly #rssiBase: number;
	readonly #street: StreetGraph | null;
	#walk: DayWalk | null = null;
	#lowBatteryAt: number;

	/**
	 * @param rng the device's own stream (fork it from the fleet's by device)
	 * @param startMs simulated time the device starts at
	 * @param street the district's walking network (a GPS watch walks it; without one, a loop round home)
	 */
	constructor(
		plan: DevicePlan,
		household: { riskLevel: RiskLevel; location: [number, number] },
		rng: Random,
		startMs: number,
		street: StreetGraph | null = null
	) {
		this.plan = plan;
		this.#street = street;
		this.#home = household.location;
		this.#start = startMs;
		this.#streams = eventProfiles(plan.kind, household.riskLevel).map(({ type, profile }) => {
			const stream = rng.fork(`event/${type}`);
			return { type, profile, rng: stream, next: nextEventAt(stream, profile, startMs) };
		});
		this.#details = rng.fork('details');
		this.#readings = rng.fork('readings');
		this.#dayRoutes = rng.fork('routes');
		this.#rssiBase = rng.fork('rssi').int(-95, -55);
		const drain = DRAIN_PER_DAY[plan.kind];
		this.#lowBatteryAt =
			plan.battery !== null && drain && plan.battery > LOW_BATTERY_PERCENT
				? startMs + ((plan.battery - LOW_BATTERY_PERCENT) / drain) * DAY_MS
				: Infinity;
	}

	/** Simulated time of the next event (Infinity if none will come). */
	nextAt(): number {
		let next = Math.min(this.#lowBatteryAt, this.#followUps[0]?.simAt ?? Infinity);
		for (const stream of this.#streams) next = Math.min(next, stream.next);
		return next;
	}

	/** The next event, in time order; the one after it is scheduled from its time. */
	takeEvent(): SimEvent {
		const at = this.nextAt();
		if (at === Infinity) throw new Error('this device has no more events');
		if (this.#followUps[0]?.simAt === at) return this.#followUps.shift()!;
		if (this.#lowBatteryAt === at) {
			this.#lowBatteryAt = Infinity;
			return { type: 'low_battery', simAt: at };
		}
		const stream = this.#streams.find((s) => s.next === at)!;
		stream.next = nextEventAt(stream.rng, stream.profile, at);
		return this.#describe(stream.type, at);
	}

	#describe(type: SimEventType, simAt: number): SimEvent {
		const rng = this.#details;
		const event: SimEvent = { type, simAt };
		if (type === 'fall') event.confidence = round(rng.between(0.7, 0.99), 2);
		if (type === 'abnormal_vitals') {
			event.confidence = round(rng.between(0.8, 0.99), 2);
			event.vitals = rng.chance(0.6)
				? { heartRate: rng.int(115, 145), breathingRate: rng.int(24, 32) }
				: { heartRate: rng.int(32, 44), breathingRate: rng.int(5, 9) };
		}
		if (type === 'door_open') {
			const closed = { type: 'door_closed' as const, simAt: simAt + rng.between(10_000, 15 * 60_000) };
			this.#followUps.push(closed);
			this.#followUps.sort((a, b) => a.simAt - b.simAt);
		}
		if (this.plan.kind === 'gps_watch') event.position = this.positionAt(simAt);
		return event;
	}

	/** Battery percent at a simulated time; undefined for mains-powered devices. */
	batteryAt(simMs: number): number | undefined {
		if (this.plan.battery === null) return undefined;
		if (this.plan.kind === 'gps_watch') {
			// On the charger from 22:00, worn from 07:00, losing about 5 % an hour.
			const hour = shanghaiHour(simMs);
			if (hour >= 22 || hour < 7) return 100;
			const sinceSeven = ((simMs + SHANGHAI_OFFSET_MS) % DAY_MS) / HOUR_MS - 7;
			return Math.max(5, Math.round(100 - 5 * sinceSeven));
		}
		const drained = (DRAIN_PER_DAY[this.plan.kind] ?? 0) * ((simMs - this.#start) / DAY_MS);
		return Math.max(0, Math.round(this.plan.battery - drained));
	}

	/**
	 * Where a GPS watch is. With the street network: at home, except for one walk a day between 09:00
	 * and 17:00, along the streets at the wearer's walking pace to a place a few hundred metres away by
	 * the network, a stay there, and the same way back. Without a network: a loop round home of up to a
	 * few hundred metres over 09:00–17:00. A function of the seed and the simulated time.
	 */
	positionAt(simMs: number): { lon: number; lat: number; accuracyM: number } {
		if (this.#street) return this.#walkPositionAt(this.#street, simMs);
		const [lon, lat] = this.#home;
		const local = simMs + SHANGHAI_OFFSET_MS;
		const day = Math.floor(local / DAY_MS);
		const f = ((local % DAY_MS) / HOUR_MS - 9) / 8;
		if (f <= 0 || f >= 1) return { lon: round(lon, 6), lat: round(lat, 6), accuracyM: 8 };
		const route = this.#dayRoutes.fork(`day/${day}`);
		const reachM = route.between(100, 600);
		const heading = route.between(0, 2 * Math.PI);
		const r = reachM * Math.sin(Math.PI * f);
		const theta = heading + 0.8 * Math.sin(2 * Math.PI * f);
		const metresPerDegree = 111_320;
		return {
			lon: round(lon + (r * Math.cos(theta)) / (metresPerDegree * Math.cos((lat * Math.PI) / 180)), 6),
			lat: round(lat + (r * Math.sin(theta)) / metresPerDegree, 6),
			accuracyM: Math.round(route.between(5, 25))
		};
	}

	#walkPositionAt(street: StreetGraph, simMs: number): { lon: number; lat: number; accuracyM: number } {
		const day = Math.floor((simMs + SHANGHAI_OFFSET_MS) / DAY_MS);
		if (this.#walk?.day !== day) this.#walk = this.#planWalk(street, day);
		const walk = this.#walk;
		let at: [number, number] = this.#home;
		let accuracyM = 8;
		if (walk.route && simMs > walk.leaves) {
			const seconds =
				simMs < walk.arrives
					? (simMs - walk.leaves) / 1000
					: simMs < walk.turnsBack
						? Infinity
						: routeSeconds(walk.route) - (simMs - walk.turnsBack) / 1000;
			at = positionOnRoute(walk.route, seconds);
			if (seconds > 0) accuracyM = walk.accuracyM;
		}
		return { lon: round(at[0], 6), lat: round(at[1], 6), accuracyM };
	}

	/**
	 * The day's walk, drawn from the day's own stream: a pace, a turning point reachable by the network
	 * at between half and all of a 150–600 m reach, when to leave, and how long to stay.
	 */
	#planWalk(street: StreetGraph, day: number): DayWalk {
		const rng = this.#dayRoutes.fork(`walk/${day}`);
		const speedMps = rng.between(WATCH_WALKING_MPS.min, WATCH_WALKING_MPS.max);
		const reachM = rng.between(150, 600);
		const stayMs = rng.between(10, 60) * 60_000;
		const leaveHour = rng.between(9, 14);
		const accuracyM = Math.round(rng.between(5, 25));
		const none: DayWalk = {
			day,
			route: null,
			leaves: Infinity,
			arrives: Infinity,
			turnsBack: Infinity,
			accuracyM
		};
		const start = nearestNode(street.graph, this.#home, 300);
		if (!start) return none;
		const tree = walkingSecondsFrom(street.graph, start.node, {
			speedMps,
			limitSeconds: reachM / speedMps
		});
		const candidates: number[] = [];
		for (let node = 0; node < street.graph.nodeCount; node++)
			if (tree.meters[node] >= reachM / 2 && tree.meters[node] <= reachM) candidates.push(node);
		if (candidates.length === 0) return none;
		const route = planRoute(street, this.#home, street.nodes[rng.pick(candidates)], speedMps);
		const leaves = day * DAY_MS - SHANGHAI_OFFSET_MS + leaveHour * HOUR_MS;
		const arrives = leaves + routeSeconds(route) * 1000;
		return { day, route, leaves, arrives, turnsBack: arrives + stayMs, accuracyM };
	}

	/** What the device reports in its periodic telemetry at a simulated time. */
	telemetry(simMs: number): TelemetryReading {
		const rng = this.#readings;
		const reading: TelemetryReading = {
			rssi: Math.max(-120, Math.min(-30, Math.round(rng.normal(this.#rssiBase, 3))))
		};
		const battery = this.batteryAt(simMs);
		if (battery !== undefined) reading.battery = battery;
		if (this.plan.kind === 'bed_vitals') {
			const hour = shanghaiHour(simMs);
			reading.inBed = hour >= 22 || hour < 7 || hour === 13;
			if (reading.inBed) {
				reading.heartRate = Math.round(rng.normal(64, 4));
				reading.breathingRate = Math.round(rng.normal(15, 1.5));
			}
		}
		if (this.plan.kind === 'gps_watch') reading.position = this.positionAt(simMs);
		return reading;
	}
}
