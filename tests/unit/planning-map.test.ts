import { describe, expect, it } from 'vitest';
import { distance } from '@turf/turf';
import { gapSquares, samePlace } from '../../src/lib/map/planning-layers';
import { gapClass, shareColor, shareLegend } from '../../src/lib/map/planning-colors';
import { boxOf, svgFrame, svgPath } from '../../src/lib/map/svg-map';

describe('gapSquares', () => {
	it('draws a gap cell as the 200 m square its id names, centred on the cell', () => {
		const [square] = gapSquares(
			[{ cellId: '350203-g200-3-4', lon: 118.1, lat: 24.45, elderly: 12, seconds: 1100 }],
			'wgs84'
		);
		const [sw, se, ne] = square.polygon;
		expect(distance(sw, se, { units: 'meters' })).toBeCloseTo(200, -1);
		expect(distance(se, ne, { units: 'meters' })).toBeCloseTo(200, -1);
		expect((sw[0] + ne[0]) / 2).toBeCloseTo(118.1, 9);
		expect((sw[1] + ne[1]) / 2).toBeCloseTo(24.45, 9);
	});

	it('moves the square into a GCJ-02 basemap by the datum shift of about 560 m', () => {
		const cell = { cellId: '350203-g200-3-4', lon: 118.1, lat: 24.45, elderly: 12, seconds: null };
		const [wgs] = gapSquares([cell], 'wgs84');
		const [gcj] = gapSquares([cell], 'gcj02');
		const shift = distance(wgs.polygon[0], gcj.polygon[0], { units: 'meters' });
		expect(shift).toBeGreaterThan(450);
		expect(shift).toBeLessThan(700);
	});
});

describe('samePlace', () => {
	it('matches a chosen candidate to the site added at its place, and nothing a metre away', () => {
		expect(samePlace({ lon: 118.1, lat: 24.45 }, { lon: 118.1, lat: 24.45 })).toBe(true);
		expect(samePlace({ lon: 118.1, lat: 24.45 }, { lon: 118.10001, lat: 24.45 })).toBe(false);
	});
});

describe('planning colours', () => {
	it('puts a cell of 1 uncovered elderly in the lightest class and 88 in the darkest', () => {
		expect(gapClass(1)).toBe(0);
		expect(gapClass(19)).toBe(1);
		expect(gapClass(20)).toBe(2);
		expect(gapClass(88)).toBe(4);
	});

	it('gives a fully covered community the last share class and one without elderly grey', () => {
		const legend = shareLegend();
		expect(shareColor(1)).toEqual(legend[legend.length - 1].color);
		expect(shareColor(0.8)).toEqual(legend[2].color);
		expect(shareColor(0.79)).toEqual(legend[1].color);
		expect(shareColor(null)).not.toEqual(legend[0].color);
	});
});

describe('svgPath', () => {
	it('projects a square with north up and keeps it square at the district’s latitude', () => {
		const square = {
			type: 'Polygon' as const,
			coordinates: [
				[
					[118.1, 24.45],
					[118.11, 24.45],
					[118.11, 24.459103],
					[118.1, 24.459103],
					[118.1, 24.45]
				]
			]
		};
		const frame = svgFrame(boxOf([square]), 116, 8);
		expect(frame.height).toBe(116);
		expect(frame.project([118.1, 24.459103])).toEqual([8, 8]);
		expect(svgPath(square, frame)).toBe('M8 108L108 108L108 8L8 8L8 108Z');
	});

	it('writes each ring of a multipolygon as its own subpath', () => {
		const two = {
			type: 'MultiPolygon' as const,
			coordinates: [
				[
					[
						[0, 0],
						[1, 0],
						[1, 1],
						[0, 0]
					]
				],
				[
					[
						[2, 0],
						[3, 0],
						[3, 1],
						[2, 0]
					]
				]
			]
		};
		const path = svgPath(two, svgFrame(boxOf([two]), 100));
		expect(path.match(/M/g)).toHaveLength(2);
		expect(path.match(/Z/g)).toHaveLength(2);
	});
});
