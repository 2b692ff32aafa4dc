import { describe, expect, it } from 'vitest';
import { addressesCsv, addressesGeoJson, type StandardAddress } from '../../src/lib/addresses/address';
import { readAddressRows } from '../../src/lib/addresses/address-rows';
import { addressPinyin, standardAddressName } from '../../src/lib/addresses/standard-name';

const HEADER = 'external_id,road_name,house_number,building,unit,road_pinyin,lon,lat';

describe('readAddressRows', () => {
	it('names every bad line of a CSV by its line number and keeps the good ones', () => {
		const text = [
			HEADER,
			'A1,思明南路,12,,,Siming Nanlu,118.082,24.449',
			'A2,,13,,,,118.082,24.449',
			'',
			'A1,思明南路,14,,,,118.082,24.449',
			'A4,思明南路,15,3,2,思明,118.082,24.449',
			'A5,思明南路,16,,,,abc,24.449',
			'A6,思明南路,17,,,,118.082',
			'A7,中山路,"1,2",,,Zhongshan Lu,118.08,24.45'
		].join('\n');
		const result = readAddressRows('csv', text);
		expect(result.accepted.map((a) => [a.row, a.externalId])).toEqual([
			[2, 'A1'],
			[9, 'A7']
		]);
		expect(result.rejected.map((r) => r.row)).toEqual([3, 5, 6, 7, 8]);
		expect(result.rejected[0].reason).toContain('road_name is missing');
		expect(result.rejected[1].reason).toContain('external_id A1 repeats row 2');
		expect(result.rejected[2].reason).toContain('road_pinyin "思明" is not romanised text');
		expect(result.rejected[3].reason).toContain('not numbers');
		expect(result.rejected[4].reason).toContain('7 fields, the header has 8');
	});

	it('refuses a file whose header lacks a required column, on line 1', () => {
		const result = readAddressRows('csv', 'external_id,road_name,lon,lat\nA1,思明南路,118,24');
		expect(result.accepted).toEqual([]);
		expect(result.rejected).toEqual([{ row: 1, reason: 'the header lacks house_number' }]);
	});

	it('names bad GeoJSON features by their number', () => {
		const text = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					geometry: { type: 'Point', coordinates: [118.08, 24.45] },
					properties: { external_id: 'G1', road_name: '中山路', house_number: 8 }
				},
				{ type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: {} },
				{
					type: 'Feature',
					geometry: { type: 'Point', coordinates: [218.08, 24.45] },
					properties: { external_id: 'G3', road_name: '中山路', house_number: '9' }
				}
			]
		});
		const result = readAddressRows('geojson', text);
		expect(result.accepted).toMatchObject([{ row: 1, houseNumber: '8', position: [118.08, 24.45] }]);
		expect(result.rejected.map((r) => r.row)).toEqual([2, 3]);
		expect(readAddressRows('geojson', '{').rejected).toEqual([{ row: 0, reason: 'the file is not JSON' }]);
	});
});

describe('standard address names', () => {
	it('joins road, number, building and unit', () => {
		const parts = { roadName: '思明南路', houseNumber: '123', building: '3', unit: '2' };
		expect(standardAddressName(parts)).toBe('思明南路123号3幢2单元');
		expect(standardAddressName({ roadName: '中山路', houseNumber: '8号' })).toBe('中山路8号');
		expect(addressPinyin('Siming Nanlu', parts)).toBe('Siming Nanlu 123 Hao 3 Zhuang 2 Danyuan');
	});

	it('exports what the importer reads back', () => {
		const address: StandardAddress = {
			id: 1,
			code: '350203-00001-B',
			externalId: 'A1',
			roadName: '思明南路',
			placeNameId: null,
			houseNumber: '12',
			building: null,
			unit: null,
			standardName: '思明南路12号',
			roadPinyin: 'Siming Nanlu',
			pinyin: 'Siming Nanlu 12 Hao',
			pinyinSource: 'imported',
			regionCode: '350203001001',
			position: [118.082, 24.449],
			status: 'active'
		};
		const fromCsv = readAddressRows('csv', addressesCsv([address]));
		const fromGeoJson = readAddressRows('geojson', JSON.stringify(addressesGeoJson([address])));
		for (const result of [fromCsv, fromGeoJson]) {
			expect(result.rejected).toEqual([]);
			expect(result.accepted[0]).toMatchObject({
				externalId: 'A1',
				houseNumber: '12',
				position: [118.082, 24.449]
			});
		}
	});
});
