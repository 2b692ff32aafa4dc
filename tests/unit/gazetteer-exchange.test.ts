/** Reading GeoJSON and CSV place-name files row by row, and writing the export that reads back. */
import { describe, expect, it } from 'vitest';
import { gazetteerCsv, gazetteerGeoJson, parseGazetteerFile } from '../../src/lib/gazetteer/exchange';
import type { PlaceRecord } from '../../src/lib/gazetteer/record';

const RECORD: PlaceRecord = {
	standardName: '筼筜湖',
	specificPart: '筼筜',
	genericPart: '湖',
	pinyin: 'Yundang Hu',
	classCode: '61000',
	geometry: { type: 'Point', coordinates: [118.1, 24.484] },
	geomPrecision: 'approximate',
	regionCode: '350203009016',
	originNote: '原为海湾, 筑堤成湖',
	status: 'approved',
	protected: false,
	successorId: null,
	aliases: [
		{ name: '筼筜港', kind: 'former', fromYear: null, toYear: 1971, protected: true },
		{ name: '西湖', kind: 'alias' }
	]
};

describe('place-name files', () => {
	it('numbers CSV rows by their physical line, the header being line 1', () => {
		const csv = [
			'standard_name,class_code,lon,lat',
			'中山路,53100,118.08,24.45',
			'X路,53100,118.08,24.45',
			'开元路,53100,,'
		].join('\n');
		const parsed = parseGazetteerFile(csv, 'csv');
		expect(parsed.rows.map((r) => r.row)).toEqual([2, 4]);
		expect(parsed.rows[0].input.geometry).toEqual({ type: 'Point', coordinates: [118.08, 24.45] });
		expect(parsed.rows[1].input.geometry).toBeNull();
		expect(parsed.rejected).toEqual([{ row: 3, messages: ['名称「X路」混用了汉字以外的文字：X'] }]);
	});

	it('numbers GeoJSON features from 1 and names the field of a bad one', () => {
		const geojson = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', geometry: null, properties: { name: '鸿山', classCode: '11100' } },
				{ type: 'Feature', geometry: null, properties: { name: '鸿山', classCode: 'mountain' } }
			]
		});
		const parsed = parseGazetteerFile(geojson, 'geojson');
		expect(parsed.rows.map((r) => r.row)).toEqual([1]);
		expect(parsed.rejected).toEqual([{ row: 2, messages: ['classCode: a five-digit class code'] }]);
	});

	it('refuses a file that is not GeoJSON as a whole', () => {
		expect(parseGazetteerFile('{', 'geojson').rejected).toEqual([
			{ row: 0, messages: ['file: not valid JSON'] }
		]);
	});

	it('exports CSV that the importer reads back, former names with their years and protection', () => {
		const csv = gazetteerCsv([{ id: 7, record: RECORD, point: [118.1, 24.484], publishedVersion: 2 }]);
		expect(csv).toContain('"原为海湾, 筑堤成湖"');
		expect(csv).toContain(',西湖,筼筜港:-1971:protected,2\n');
		const [row] = parseGazetteerFile(csv, 'csv').rows;
		expect(row.input).toMatchObject({
			standardName: '筼筜湖',
			classCode: '61000',
			pinyin: 'Yundang Hu',
			aliases: [
				{ name: '西湖', kind: 'alias' },
				{ name: '筼筜港', kind: 'former', fromYear: null, toYear: 1971, protected: true }
			]
		});
	});

	it('reads a former name without years or protection, and one protected without years', () => {
		const csv = 'standard_name,class_code,lon,lat,former_names\n中山路,53100,118.08,24.45,旧街|老街:保护\n';
		const [row] = parseGazetteerFile(csv, 'csv').rows;
		expect(row.input.aliases).toEqual([
			{ name: '旧街', kind: 'former', fromYear: null, toYear: null, protected: false },
			{ name: '老街', kind: 'former', fromYear: null, toYear: null, protected: true }
		]);
	});

	it('exports GeoJSON with every attribute', () => {
		const [feature] = gazetteerGeoJson([
			{ id: 7, record: RECORD, point: null, publishedVersion: 2 }
		]).features;
		expect(feature.properties).toMatchObject({
			id: 7,
			pinyin: 'Yundang Hu',
			formerNames: ['筼筜港:-1971:protected'],
			version: 2
		});
	});
});
