import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { splitBySeeds, spreadCentres, type Area } from '../../geo/tools/model-regions';

const square = turf.polygon([
	[
		[118, 24],
		[118.1, 24],
		[118.1, 24.1],
		[118, 24.1],
		[118, 24]
	]
]) as Area;

describe('splitBySeeds', () => {
	it('splits a parent into one cell per seed that together cover it without overlap', () => {
		const cells = splitBySeeds(square, [
			[118.02, 24.05],
			[118.08, 24.05]
		]);
		expect(cells).toHaveLength(2);
		const total = cells.reduce((sum, cell) => sum + turf.area(cell!), 0);
		expect(total / turf.area(square)).toBeCloseTo(1, 3);
		expect(turf.booleanPointInPolygon([118.01, 24.05], cells[0]!)).toBe(true);
		expect(turf.booleanPointInPolygon([118.09, 24.05], cells[1]!)).toBe(true);
	});

	it('requires at least one seed', () => {
		expect(() => splitBySeeds(square, [])).toThrowError('seeds is required');
	});
});

describe('spreadCentres', () => {
	it('gives n distinct centres inside the parent, the same ones every time', () => {
		const centres = spreadCentres(square, 6);
		expect(centres).toHaveLength(6);
		expect(centres.every((c) => turf.booleanPointInPolygon(c, square))).toBe(true);
		expect(new Set(centres.map((c) => c.join())).size).toBe(6);
		expect(spreadCentres(square, 6)).toEqual(centres);
	});

	it('makes cells of similar size', () => {
		const cells = splitBySeeds(square, spreadCentres(square, 4));
		const areas = cells.map((cell) => turf.area(cell!));
		expect(Math.max(...areas) / Math.min(...areas)).toBeLessThan(1.5);
	});
});
