import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEVICE_ID } from '../../src/lib/mqtt/contract';
import { planFleet, type PopulationCell } from '../../simulators/devices/plan';

const cells = (
	JSON.parse(readFileSync('geo/siming/population-cells.geojson', 'utf8')) as { features: PopulationCell[] }
).features;

const cell = (cellId: string, lon: number, elderly: number): PopulationCell => ({
	type: 'Feature',
	geometry: { type: 'Point', coordinates: [lon, 24.45] },
	properties: { cellId, elderly }
});

describe('planning a device fleet', () => {
	it('plans the same households from the same seed, and a larger fleet starts with them', () => {
		const small = planFleet({ seed: 5, households: 10, cells });
		expect(planFleet({ seed: 5, households: 10, cells })).toEqual(small);
		expect(planFleet({ seed: 5, households: 20, cells }).slice(0, 10)).toEqual(small);
		expect(planFleet({ seed: 6, households: 10, cells })).not.toEqual(small);
	});

	it('places households in proportion to the elderly of each cell, never in an empty cell', () => {
		const plan = planFleet({
			seed: 1,
			households: 2000,
			cells: [cell('a', 118.0, 10), cell('b', 118.1, 30), cell('empty', 118.2, 0)]
		});
		const near = (lon: number) => plan.filter((h) => Math.abs(h.location[0] - lon) < 0.001).length;
		expect(near(118.2)).toBe(0);
		expect(near(118.1) / near(118.0)).toBeGreaterThan(2.5);
		expect(near(118.1) / near(118.0)).toBeLessThan(3.5);
	});

	it('gives every home an SOS button, a fall detector, a door contact and a motion sensor', () => {
		for (const household of planFleet({ seed: 'mix', households: 200, cells })) {
			const kinds = household.devices.map((d) => d.kind);
			expect(kinds).toEqual(expect.arrayContaining(['sos_button', 'fall_detector', 'door', 'inactivity']));
			expect(new Set(kinds).size).toBe(kinds.length);
		}
	});

	it('gives some homes smoke and gas detectors, bed sensors and GPS watches, more bed sensors at high risk', () => {
		const plan = planFleet({ seed: 'mix', households: 1000, cells });
		const share = (kind: string, risk?: string) => {
			const homes = plan.filter((h) => !risk || h.riskLevel === risk);
			return homes.filter((h) => h.devices.some((d) => d.kind === kind)).length / homes.length;
		};
		expect(share('smoke')).toBeGreaterThan(0.5);
		expect(share('smoke')).toBeLessThan(0.7);
		expect(share('gas')).toBeGreaterThan(0.25);
		expect(share('gps_watch')).toBeGreaterThan(0.15);
		expect(share('bed_vitals', 'high')).toBeGreaterThan(share('bed_vitals', 'low') + 0.3);
	});

	it('makes ids the platform accepts, unique across the fleet', () => {
		const plan = planFleet({ seed: 123456789, households: 300, cells });
		const ids = plan.flatMap((h) => h.devices.map((d) => d.id));
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) expect(id).toMatch(DEVICE_ID);
		expect(plan[0].externalId).toBe('SIM123456789-0001');
	});
});
