/**
 * Who lives where and with which devices: the pure part of the fleet. Households are placed in the
 * district's population cells in proportion to their elderly residents, and each gets the device
 * set a home-care programme would install for its risk level. Household `i` depends only on the
 * seed and `i`, so a larger fleet from the same seed starts with the same households.
 */
import type { DeviceKind } from '../../src/lib/mqtt/contract';
import { Random, weightedPicker } from '../random';

export type { DeviceKind };

export type RiskLevel = 'low' | 'medium' | 'high';

/** How often each kind reports when nothing happens (seconds), as such devices commonly do. */
export const HEARTBEAT_S: Record<DeviceKind, number> = {
	sos_button: 300,
	fall_detector: 300,
	smoke: 3600,
	gas: 1800,
	water_leak: 3600,
	door: 600,
	inactivity: 600,
	bed_vitals: 60,
	gps_watch: 120
};

const FIRMWARE: Record<DeviceKind, string> = {
	sos_button: '2.4.1',
	fall_detector: '3.1.0',
	smoke: '1.8.2',
	gas: '1.2.5',
	water_leak: '1.0.9',
	door: '2.0.3',
	inactivity: '2.2.0',
	bed_vitals: '4.0.1',
	gps_watch: '5.3.7'
};

const SHORT: Record<DeviceKind, string> = {
	sos_button: 'SOS',
	fall_detector: 'FALL',
	smoke: 'SMOKE',
	gas: 'GAS',
	water_leak: 'LEAK',
	door: 'DOOR',
	inactivity: 'PIR',
	bed_vitals: 'BED',
	gps_watch: 'GPS'
};

/** A population cell as GET /api/districts/{code}/population-cells returns it. */
export interface PopulationCell {
	type: 'Feature';
	geometry: { type: 'Point'; coordinates: number[] } | { type: 'Polygon'; coordinates: number[][][] };
	properties: { cellId: string; elderly: number };
}

export interface DevicePlan {
	id: string;
	kind: DeviceKind;
	heartbeatS: number;
	firmware: string;
	/** Percent at the start of the run; null for mains-powered devices. */
	battery: number | null;
}

export interface HouseholdPlan {
	index: number;
	externalId: string;
	residentName: string;
	phone: string;
	address: string;
	location: [number, number];
	/** The cell's own point: where the household goes if the jittered location is refused. */
	cellCentre: [number, number];
	riskLevel: RiskLevel;
	emergencyContacts: { name: string; phone: string; relation: string }[];
	devices: DevicePlan[];
}

export interface FleetPlanOptions {
	seed: string | number;
	households: number;
	cells: readonly PopulationCell[];
	/** Prefix of household and device ids; the default names the seed, so fleets of other seeds never collide. */
	idPrefix?: string;
}

const SURNAMES = [
	'陈',
	'林',
	'黄',
	'张',
	'李',
	'王',
	'吴',
	'刘',
	'蔡',
	'杨',
	'郑',
	'许',
	'洪',
	'苏',
	'叶',
	'庄'
];
const GIVEN = [
	'秀',
	'英',
	'美',
	'玉',
	'兰',
	'金',
	'福',
	'德',
	'明',
	'国',
	'文',
	'华',
	'建',
	'水',
	'阿',
	'淑'
];
const RELATIONS = ['儿子', '女儿', '儿媳', '女婿', '孙子', '侄女'];

/** About 200 m cells: a household lands within ±80 m of a point cell's centre. */
const POINT_JITTER_DEG = 0.0008;

/** Centre of a cell and a random home location in it. */
function placeInCell(
	rng: Random,
	cell: PopulationCell
): { centre: [number, number]; home: [number, number] } {
	if (cell.geometry.type === 'Point') {
		const [lon, lat] = cell.geometry.coordinates;
		const home: [number, number] = [
			lon + rng.between(-POINT_JITTER_DEG, POINT_JITTER_DEG),
			lat + rng.between(-POINT_JITTER_DEG, POINT_JITTER_DEG)
		];
		return { centre: [lon, lat], home };
	}
	const ring = cell.geometry.coordinates[0];
	const lons = ring.map((p) => p[0]);
	const lats = ring.map((p) => p[1]);
	const [west, east, south, north] = [
		Math.min(...lons),
		Math.max(...lons),
		Math.min(...lats),
		Math.max(...lats)
	];
	const centre: [number, number] = [(west + east) / 2, (south + north) / 2];
	for (let attempt = 0; attempt < 10; attempt++) {
		const home: [number, number] = [rng.between(west, east), rng.between(south, north)];
		if (insideRing(home, ring)) return { centre, home };
	}
	return { centre, home: centre };
}

/** Ray casting (even–odd rule). */
function insideRing([x, y]: [number, number], ring: number[][]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

function mobilePhone(rng: Random): string {
	return `1${rng.pick(['38', '39', '58', '59', '86', '88'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`;
}

/**
 * The device set of a home: an SOS button, a fall detector, a door contact and a motion (inactivity)
 * sensor always; smoke, gas and water detectors where the kitchen and bathroom call for them; a bed
 * sensor more often the frailer the resident; a GPS watch for residents who still go out alone.
 */
export function deviceKindsFor(rng: Random, risk: RiskLevel): DeviceKind[] {
	const kinds: DeviceKind[] = ['sos_button', 'fall_detector', 'door', 'inactivity'];
	if (rng.chance(0.6)) kinds.push('smoke');
	if (rng.chance(0.35)) kinds.push('gas');
	if (rng.chance(0.2)) kinds.push('water_leak');
	if (rng.chance({ low: 0.1, medium: 0.3, high: 0.6 }[risk])) kinds.push('bed_vitals');
	if (rng.chance({ low: 0.35, medium: 0.25, high: 0.1 }[risk])) kinds.push('gps_watch');
	return kinds;
}

const MAINS_POWERED: ReadonlySet<DeviceKind> = new Set(['gas', 'bed_vitals']);

/**
 * The fleet: `households` homes with their residents and devices.
 * @example planFleet({ seed: 7, households: 3, cells }).map((h) => h.externalId) // ['SIM7-0001', 'SIM7-0002', 'SIM7-0003']
 */
export function planFleet(options: FleetPlanOptions): HouseholdPlan[] {
	const cells = options.cells.filter((cell) => cell.properties.elderly > 0);
	if (cells.length === 0) throw new Error('cells must include at least one cell with elderly residents');
	const pickCell = weightedPicker(cells.map((cell) => cell.properties.elderly));
	const prefix = options.idPrefix ?? `SIM${String(options.seed).replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 40);
	const root = new Random(options.seed);
	return Array.from({ length: options.households }, (_, i) => {
		const rng = root.fork(`household/${i}`);
		const externalId = `${prefix}-${String(i + 1).padStart(4, '0')}`;
		const cell = cells[pickCell(rng)];
		const { centre, home } = placeInCell(rng, cell);
		const riskLevel = rng.pick<RiskLevel>(['low', 'low', 'medium', 'medium', 'high']);
		const surname = rng.pick(SURNAMES);
		const devices = deviceKindsFor(rng, riskLevel).map((kind) => ({
			id: `${externalId}-${SHORT[kind]}`,
			kind,
			heartbeatS: HEARTBEAT_S[kind],
			firmware: FIRMWARE[kind],
			battery: MAINS_POWERED.has(kind) ? null : rng.int(25, 100)
		}));
		return {
			index: i,
			externalId,
			residentName: `${surname}${rng.pick(GIVEN)}${rng.pick(GIVEN)}（模拟）`,
			phone: mobilePhone(rng),
			address: `模拟住户 ${cell.properties.cellId} 号`,
			location: home,
			cellCentre: centre,
			riskLevel,
			emergencyContacts: [
				{
					name: `${surname}${rng.pick(GIVEN)}${rng.pick(GIVEN)}`,
					phone: mobilePhone(rng),
					relation: rng.pick(RELATIONS)
				}
			],
			devices
		};
	});
}
