import { describe, expect, it } from 'vitest';
import type { WalkNetworkCollection } from '../../src/lib/geo/features';
import { DEVICE_KINDS, validateUplink } from '../../src/lib/mqtt/contract';
import {
	DAY_MS,
	DeviceModel,
	FALL_SHAPE,
	HOUR_MS,
	nextEventAt,
	shanghaiHour,
	shanghaiIso,
	WATCH_WALKING_MPS,
	type SimEvent
} from '../../simulators/devices/model';
import type { DeviceKind, DevicePlan } from '../../simulators/devices/plan';
import { Random } from '../../simulators/random';
import {
	buildStreetGraph,
	haversineMeters,
	type LonLat,
	type StreetGraph
} from '../../simulators/responders/street-path';

/** 2026-11-29 00:00 in Asia/Shanghai. */
const MIDNIGHT = Date.parse('2026-11-29T00:00:00+08:00');
const HOME: [number, number] = [118.0893, 24.4551];

const device = (kind: DeviceKind, battery: number | null = 80): DevicePlan => ({
	id: `T-${kind}`,
	kind,
	heartbeatS: 300,
	firmware: '1.0.0',
	battery
});

function eventsOf(model: DeviceModel, untilMs: number): SimEvent[] {
	const events: SimEvent[] = [];
	while (model.nextAt() <= untilMs) events.push(model.takeEvent());
	return events;
}

const encode = (payload: object) => new TextEncoder().encode(JSON.stringify({ v: 1, ...payload }));

describe('the simulated clock', () => {
	it('reads the hour of the day in Asia/Shanghai and writes times with +08:00', () => {
		expect(shanghaiHour(Date.parse('2026-11-28T22:30:00Z'))).toBe(6);
		expect(shanghaiIso(Date.parse('2026-11-28T22:30:00Z'))).toBe('2026-11-29T06:30:00.000+08:00');
	});
});

describe('the hourly event rate', () => {
	it('averages the rate a day it is given', () => {
		const rng = new Random('rate');
		let t = MIDNIGHT;
		let count = 0;
		for (;;) {
			t = nextEventAt(rng, { perDay: 10, shape: FALL_SHAPE }, t);
			if (t > MIDNIGHT + 200 * DAY_MS) break;
			count++;
		}
		expect(count / 200).toBeGreaterThan(9);
		expect(count / 200).toBeLessThan(11);
	});

	it('never fires in hours of weight zero, and never for a rate of zero', () => {
		const rng = new Random('zero');
		const onlyAtNine = Array.from({ length: 24 }, (_, h) => (h === 9 ? 1 : 0));
		for (let i = 0, t = MIDNIGHT; i < 200; i++) {
			t = nextEventAt(rng, { perDay: 3, shape: onlyAtNine }, t);
			expect(shanghaiHour(t)).toBe(9);
		}
		expect(nextEventAt(rng, { perDay: 0, shape: onlyAtNine }, MIDNIGHT)).toBe(Infinity);
	});
});

describe('a simulated device', () => {
	it('sends the same events at the same simulated times from the same seed', () => {
		const run = () =>
			eventsOf(
				new DeviceModel(
					device('door'),
					{ riskLevel: 'medium', location: HOME },
					new Random('s').fork('d'),
					MIDNIGHT
				),
				MIDNIGHT + 3 * DAY_MS
			);
		const first = run();
		expect(first.length).toBeGreaterThan(10);
		expect(run()).toEqual(first);
	});

	it('sends events in time order, each door opening followed by its closing', () => {
		const events = eventsOf(
			new DeviceModel(device('door'), { riskLevel: 'low', location: HOME }, new Random(3), MIDNIGHT),
			MIDNIGHT + 10 * DAY_MS
		);
		for (let i = 1; i < events.length; i++)
			expect(events[i].simAt).toBeGreaterThanOrEqual(events[i - 1].simAt);
		const opened = events.filter((e) => e.type === 'door_open').length;
		const closed = events.filter((e) => e.type === 'door_closed').length;
		expect(Math.abs(opened - closed)).toBeLessThanOrEqual(1);
	});

	it('detects more falls in the hours around waking than in the afternoon', () => {
		const byHour = new Array(24).fill(0);
		for (let i = 0; i < 200; i++) {
			const model = new DeviceModel(
				device('fall_detector'),
				{ riskLevel: 'high', location: HOME },
				new Random(`f${i}`),
				MIDNIGHT
			);
			for (const event of eventsOf(model, MIDNIGHT + 120 * DAY_MS))
				if (event.type === 'fall') byHour[shanghaiHour(event.simAt)]++;
		}
		const waking = byHour[6] + byHour[7];
		const afternoon = byHour[15] + byHour[16];
		expect(waking).toBeGreaterThan(2 * afternoon);
	});

	it('raises inactivity only in the hours someone should be moving', () => {
		for (let i = 0; i < 100; i++) {
			const model = new DeviceModel(
				device('inactivity'),
				{ riskLevel: 'high', location: HOME },
				new Random(`m${i}`),
				MIDNIGHT
			);
			for (const event of eventsOf(model, MIDNIGHT + 30 * DAY_MS)) {
				const hour = shanghaiHour(event.simAt);
				expect(hour >= 8 && hour <= 21).toBe(true);
			}
		}
	});

	it('drains its battery and says so once when it falls below 20 %', () => {
		const model = new DeviceModel(
			device('fall_detector', 30),
			{ riskLevel: 'low', location: HOME },
			new Random('b'),
			MIDNIGHT
		);
		expect(model.telemetry(MIDNIGHT).battery).toBe(30);
		const events = eventsOf(model, MIDNIGHT + 60 * DAY_MS);
		const low = events.filter((e) => e.type === 'low_battery');
		expect(low).toHaveLength(1);
		expect(model.batteryAt(low[0].simAt)).toBe(20);
		expect(model.telemetry(MIDNIGHT + 40 * DAY_MS).battery).toBeLessThan(15);
	});

	it('reports vitals only while in bed, and a GPS watch away from home only by day', () => {
		const bed = new DeviceModel(
			device('bed_vitals', null),
			{ riskLevel: 'high', location: HOME },
			new Random('v'),
			MIDNIGHT
		);
		expect(bed.telemetry(MIDNIGHT + 3 * HOUR_MS)).toMatchObject({
			inBed: true,
			heartRate: expect.any(Number)
		});
		expect(bed.telemetry(MIDNIGHT + 10 * HOUR_MS)).toEqual({ inBed: false, rssi: expect.any(Number) });
		const watch = new DeviceModel(
			device('gps_watch'),
			{ riskLevel: 'low', location: HOME },
			new Random('w'),
			MIDNIGHT
		);
		expect(watch.positionAt(MIDNIGHT + 3 * HOUR_MS)).toMatchObject({ lon: HOME[0], lat: HOME[1] });
		const noon = watch.positionAt(MIDNIGHT + 13 * HOUR_MS);
		const metres = Math.hypot((noon.lon - HOME[0]) * 101_000, (noon.lat - HOME[1]) * 111_320);
		expect(metres).toBeGreaterThan(50);
		expect(metres).toBeLessThan(700);
	});

	it('sends only messages the MQTT contract accepts', () => {
		for (const kind of DEVICE_KINDS) {
			const model = new DeviceModel(
				device(kind, kind === 'gas' || kind === 'bed_vitals' ? null : 40),
				{ riskLevel: 'high', location: HOME },
				new Random(kind),
				MIDNIGHT
			);
			for (const event of eventsOf(model, MIDNIGHT + 400 * DAY_MS).slice(0, 50)) {
				const { simAt, ...rest } = event;
				const checked = validateUplink(
					'event',
					encode({ eventId: `e-${simAt}`, at: shanghaiIso(simAt), ...rest })
				);
				expect(checked).toMatchObject({ ok: true });
			}
			for (let h = 0; h < 24; h++) {
				const checked = validateUplink(
					'telemetry',
					encode({ at: shanghaiIso(MIDNIGHT), ...model.telemetry(MIDNIGHT + h * HOUR_MS) })
				);
				expect(checked).toMatchObject({ ok: true });
			}
		}
		const status = validateUplink('status', encode({ state: 'offline' }));
		expect(status.ok).toBe(true);
	});
});

/** A grid of streets 0.001° apart, 9 by 9 corners, with HOME on the middle corner. */
function grid(): WalkNetworkCollection {
	const corner = (i: number, j: number): LonLat => [
		Math.round((HOME[0] + (i - 4) * 0.001) * 1e6) / 1e6,
		Math.round((HOME[1] + (j - 4) * 0.001) * 1e6) / 1e6
	];
	const lines: LonLat[][] = [];
	for (let i = 0; i < 9; i++)
		for (let j = 0; j < 9; j++) {
			if (i < 8) lines.push([corner(i, j), corner(i + 1, j)]);
			if (j < 8) lines.push([corner(i, j), corner(i, j + 1)]);
		}
	return {
		type: 'FeatureCollection',
		network: { name: 'grid', provenance: 'modelled', source: 'test', nodeCount: 81, edgeCount: lines.length },
		features: lines.map((coords) => ({
			type: 'Feature',
			geometry: { type: 'LineString', coordinates: coords },
			properties: { kind: 'walk', seconds: null, lengthM: haversineMeters(coords[0], coords[1]) }
		}))
	};
}

/** Metres from a point to the nearest edge of the network (flat-earth projection, fine at 100 m). */
function metresFromNetwork(street: StreetGraph, [lon, lat]: LonLat): number {
	const kx = 111_320 * Math.cos((lat * Math.PI) / 180);
	const ky = 110_574;
	let best = Infinity;
	for (const { coords } of street.edges)
		for (let i = 1; i < coords.length; i++) {
			const [ax, ay] = [(coords[i - 1][0] - lon) * kx, (coords[i - 1][1] - lat) * ky];
			const [bx, by] = [(coords[i][0] - lon) * kx, (coords[i][1] - lat) * ky];
			const t = Math.max(
				0,
				Math.min(1, -(ax * (bx - ax) + ay * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2))
			);
			best = Math.min(best, Math.hypot(ax + t * (bx - ax), ay + t * (by - ay)));
		}
	return best;
}

/** A watch's positions every 10 simulated seconds over a day. */
function dayOf(watch: DeviceModel, day: number): { at: number; point: LonLat }[] {
	const samples: { at: number; point: LonLat }[] = [];
	for (let at = MIDNIGHT + day * DAY_MS; at < MIDNIGHT + (day + 1) * DAY_MS; at += 10_000) {
		const { lon, lat } = watch.positionAt(at);
		samples.push({ at, point: [lon, lat] });
	}
	return samples;
}

describe('a GPS watch on the street network', () => {
	const watchOn = (street: StreetGraph, seed: string) =>
		new DeviceModel(
			device('gps_watch'),
			{ riskLevel: 'low', location: HOME },
			new Random(seed),
			MIDNIGHT,
			street
		);

	it('reports only positions on the network’s edges, at home outside the day’s walk', () => {
		const street = buildStreetGraph(grid());
		for (const seed of ['a', 'b', 'c']) {
			const samples = dayOf(watchOn(street, seed), 0);
			const away = samples.filter((s) => haversineMeters(s.point, HOME) > 1);
			expect(away.length).toBeGreaterThan(30);
			for (const { point } of away) expect(metresFromNetwork(street, point)).toBeLessThan(0.5);
			for (const { at } of away) expect(shanghaiHour(at)).toBeGreaterThanOrEqual(9);
			for (const { at } of away) expect(shanghaiHour(at)).toBeLessThan(17);
			expect(samples.at(-1)!.point).toEqual(HOME);
		}
	});

	it('moves between consecutive positions at walking pace, never faster', () => {
		const street = buildStreetGraph(grid());
		const speeds: number[] = [];
		const samples = dayOf(watchOn(street, 'pace'), 0);
		for (let i = 1; i < samples.length; i++) {
			const metres = haversineMeters(samples[i - 1].point, samples[i].point);
			if (metres > 0) speeds.push(metres / 10);
		}
		expect(speeds.length).toBeGreaterThan(30);
		// Rounding to 6 decimals moves a point by up to ~0.1 m.
		for (const speed of speeds) expect(speed).toBeLessThan(WATCH_WALKING_MPS.max + 0.03);
		const sorted = speeds.sort((a, b) => a - b);
		expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(WATCH_WALKING_MPS.min - 0.03);
	});

	it('walks the same streets at the same times for the same seed, and another way on another day', () => {
		const street = buildStreetGraph(grid());
		const monday = dayOf(watchOn(street, 'same'), 0);
		expect(dayOf(watchOn(street, 'same'), 0)).toEqual(monday);
		expect(dayOf(watchOn(street, 'same'), 1).map((s) => s.point)).not.toEqual(monday.map((s) => s.point));
	});
});
