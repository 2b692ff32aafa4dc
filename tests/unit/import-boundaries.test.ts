import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { distance } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { convertPosition } from '../../src/lib/geo/crs';
import { parseBoundaryGeoJson, parseBoundaryShapefileZip } from '../../src/lib/server/imports/boundaries';

const fixture = (name: string) => new URL(`../fixtures/imports/${name}`, import.meta.url);

function collection(...features: Feature[]): string {
	return JSON.stringify({ type: 'FeatureCollection', features } satisfies FeatureCollection);
}

function feature(properties: Record<string, unknown>, geometry: Geometry): Feature {
	return { type: 'Feature', properties, geometry };
}

function square(lon: number, lat: number, size = 0.01): Geometry {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[lon, lat],
				[lon + size, lat],
				[lon + size, lat + size],
				[lon, lat + size],
				[lon, lat]
			]
		]
	};
}

describe('parseBoundaryGeoJson', () => {
	it('accepts the valid streets of the fixture and rejects the bad code and the LineString by feature number', async () => {
		const text = await readFile(fixture('streets.geojson'), 'utf8');
		const result = parseBoundaryGeoJson(text, { crs: 'wgs84' });
		expect(result.accepted.map((record) => [record.row, record.code, record.level, record.name])).toEqual([
			[1, '350203010', 'street', '莲前街道'],
			[2, '350203001', 'street', '鹭江街道']
		]);
		expect(result.rejected).toEqual([
			{ row: 3, reason: 'code 35020301 is not a 6-, 9- or 12-digit statistical code' },
			{ row: 4, reason: 'geometry is a LineString, expected Polygon or MultiPolygon' }
		]);
	});

	it('promotes a Polygon to a one-part MultiPolygon', () => {
		const result = parseBoundaryGeoJson(collection(feature({ code: '350203010' }, square(118.1, 24.45))), {
			crs: 'wgs84'
		});
		expect(result.accepted[0].geometry.type).toBe('MultiPolygon');
		expect(result.accepted[0].geometry.coordinates).toHaveLength(1);
	});

	it('normalises zero-padded 12-digit codes to the street or district they denote', () => {
		const text = collection(
			feature({ code: '350203010000' }, square(118.1, 24.45)),
			feature({ code: '350203000000' }, square(118.12, 24.45)),
			feature({ code: '350203001001' }, square(118.14, 24.45))
		);
		const result = parseBoundaryGeoJson(text, { crs: 'wgs84' });
		expect(result.accepted.map((record) => [record.code, record.level])).toEqual([
			['350203010', 'street'],
			['350203', 'district'],
			['350203001001', 'community']
		]);
	});

	it('reads the code and name from the properties named in the options', () => {
		const text = collection(feature({ XZQDM: 350203010, MC: '莲前' }, square(118.1, 24.45)));
		const result = parseBoundaryGeoJson(text, { crs: 'wgs84', codeProperty: 'XZQDM', nameProperty: 'MC' });
		expect(result.accepted.map((record) => [record.code, record.name])).toEqual([['350203010', '莲前']]);
	});

	it('rejects a feature without a code, naming the properties it looked for', () => {
		const result = parseBoundaryGeoJson(collection(feature({ name: 'x' }, square(118.1, 24.45))), {
			crs: 'wgs84'
		});
		expect(result.rejected).toEqual([
			{ row: 1, reason: 'code is missing (looked for code, adcode, stat_code, CODE)' }
		]);
	});

	it('rejects the second feature with a code already seen, pointing at the first', () => {
		const text = collection(
			feature({ code: '350203010' }, square(118.1, 24.45)),
			feature({ code: '350203010' }, square(118.12, 24.45))
		);
		const result = parseBoundaryGeoJson(text, { crs: 'wgs84' });
		expect(result.accepted).toHaveLength(1);
		expect(result.rejected).toEqual([
			{ row: 2, reason: 'duplicate code 350203010 (first seen on feature 1)' }
		]);
	});

	it('rejects coordinates outside the longitude and latitude ranges', () => {
		const text = collection(
			feature({ code: '350203010' }, square(24.45, 118.1)),
			feature({ code: '350203011' }, square(181, 24.45))
		);
		const result = parseBoundaryGeoJson(text, { crs: 'wgs84' });
		expect(result.rejected).toEqual([
			{ row: 1, reason: 'geometry has lat 118.1 outside -90..90' },
			{ row: 2, reason: 'geometry has lon 181 outside -180..180' }
		]);
	});

	it('rejects a self-intersecting bow-tie polygon', () => {
		const bowTie: Geometry = {
			type: 'Polygon',
			coordinates: [
				[
					[118.1, 24.45],
					[118.12, 24.47],
					[118.12, 24.45],
					[118.1, 24.47],
					[118.1, 24.45]
				]
			]
		};
		const result = parseBoundaryGeoJson(collection(feature({ code: '350203010' }, bowTie)), { crs: 'wgs84' });
		expect(result.rejected).toEqual([{ row: 1, reason: 'geometry is not valid: self-intersection' }]);
	});

	it('rejects a ring that is not closed', () => {
		const open: Geometry = {
			type: 'Polygon',
			coordinates: [
				[
					[118.1, 24.45],
					[118.12, 24.45],
					[118.12, 24.47],
					[118.1, 24.47]
				]
			]
		};
		const result = parseBoundaryGeoJson(collection(feature({ code: '350203010' }, open)), { crs: 'wgs84' });
		expect(result.rejected).toEqual([{ row: 1, reason: 'geometry has a ring that is not closed' }]);
	});

	it('returns one whole-file rejection on row 0 for text that is not JSON', () => {
		const result = parseBoundaryGeoJson('{"type": "FeatureCollection", ', { crs: 'wgs84' });
		expect(result.accepted).toEqual([]);
		expect(result.rejected).toHaveLength(1);
		expect(result.rejected[0].row).toBe(0);
		expect(result.rejected[0].reason).toMatch(/^file is not valid JSON: /);
	});

	it('returns one whole-file rejection for GeoJSON that is not a FeatureCollection', () => {
		const result = parseBoundaryGeoJson(
			JSON.stringify(feature({ code: '350203010' }, square(118.1, 24.45))),
			{
				crs: 'wgs84'
			}
		);
		expect(result.rejected).toEqual([{ row: 0, reason: 'file is a Feature, expected a FeatureCollection' }]);
	});

	it('converts a GCJ-02 boundary back to its WGS-84 position', () => {
		const corner: [number, number] = [118.1, 24.45];
		const [lon, lat] = convertPosition(corner, 'wgs84', 'gcj02');
		const result = parseBoundaryGeoJson(collection(feature({ code: '350203010' }, square(lon, lat))), {
			crs: 'gcj02'
		});
		const converted = result.accepted[0].geometry.coordinates[0][0][0];
		expect(distance(corner, converted, { units: 'meters' })).toBeLessThan(1);
	});
});

describe('parseBoundaryShapefileZip', () => {
	it('reads the zipped shapefile fixture, numbering rejected features like GeoJSON', async () => {
		const bytes = await readFile(fixture('streets-shp.zip'));
		const result = await parseBoundaryShapefileZip(bytes, { crs: 'wgs84' });
		expect(result.accepted.map((record) => [record.code, record.level, record.name])).toEqual([
			['350203010', 'street', 'street']
		]);
		expect(result.accepted[0].geometry.type).toBe('MultiPolygon');
		expect(result.rejected).toEqual([
			{ row: 2, reason: 'code 35020301 is not a 6-, 9- or 12-digit statistical code' }
		]);
	});

	it('returns one whole-file rejection for bytes that are not a zip', async () => {
		const result = await parseBoundaryShapefileZip(new TextEncoder().encode('not a zip'), { crs: 'wgs84' });
		expect(result.accepted).toEqual([]);
		expect(result.rejected).toHaveLength(1);
		expect(result.rejected[0].row).toBe(0);
	});
});
