import { describe, expect, it } from 'vitest';
import { distance } from '@turf/turf';
import { convertGeometry, convertPosition, forBasemap } from '../../src/lib/geo/crs';

describe('convertPosition', () => {
	it('shifts a Siming GCJ-02 position by about 560 m to WGS-84', () => {
		const gcj: [number, number] = [118.0894, 24.4798];
		const wgs = convertPosition(gcj, 'gcj02', 'wgs84');
		const metres = distance(gcj, wgs, { units: 'meters' });
		expect(metres).toBeGreaterThan(450);
		expect(metres).toBeLessThan(700);
	});

	it('comes back to the same place after a round trip through BD-09', () => {
		const wgs: [number, number] = [118.1, 24.45];
		const back = convertPosition(convertPosition(wgs, 'wgs84', 'bd09'), 'bd09', 'wgs84');
		expect(distance(wgs, back, { units: 'meters' })).toBeLessThan(1);
	});

	it('leaves a position unchanged when the CRSs are the same', () => {
		expect(convertPosition([118.1, 24.45], 'wgs84', 'wgs84')).toEqual([118.1, 24.45]);
	});
});

describe('convertGeometry', () => {
	it('converts every ring of a multipolygon and keeps its shape', () => {
		const square = {
			type: 'MultiPolygon' as const,
			coordinates: [
				[
					[
						[118.1, 24.45],
						[118.11, 24.45],
						[118.11, 24.46],
						[118.1, 24.46],
						[118.1, 24.45]
					]
				]
			]
		};
		const converted = convertGeometry(square, 'gcj02', 'wgs84');
		expect(converted.coordinates[0][0]).toHaveLength(5);
		expect(converted.coordinates[0][0][0]).toEqual(convertPosition([118.1, 24.45], 'gcj02', 'wgs84'));
		expect(square.coordinates[0][0][0]).toEqual([118.1, 24.45]);
	});
});

describe('forBasemap', () => {
	const collection = {
		type: 'FeatureCollection' as const,
		features: [
			{
				type: 'Feature' as const,
				properties: { name: 'a' },
				geometry: { type: 'Point' as const, coordinates: [118.1, 24.45] }
			}
		]
	};

	it('shifts overlays about 560 m onto a GCJ-02 basemap without touching the data', () => {
		const shown = forBasemap(collection, 'gcj02');
		const moved = distance(
			collection.features[0].geometry.coordinates,
			shown.features[0].geometry.coordinates,
			{
				units: 'meters'
			}
		);
		expect(moved).toBeGreaterThan(450);
		expect(collection.features[0].geometry.coordinates).toEqual([118.1, 24.45]);
		expect(shown.features[0].properties).toEqual({ name: 'a' });
	});

	it('returns the same collection for a WGS-84 basemap', () => {
		expect(forBasemap(collection, 'wgs84')).toBe(collection);
	});
});
