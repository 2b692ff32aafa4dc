import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { distance } from '@turf/turf';
import { convertPosition } from '../../src/lib/geo/crs';
import {
	parseFacilitiesCsv,
	parseHouseholdsCsv,
	parsePopulationCellsCsv
} from '../../src/lib/server/imports/csv-records';

const FACILITY_HEADER =
	'external_id,name,kind,status,beds,nursing_beds,opened_on,region_code,address,lon,lat';

async function badRows() {
	const text = await readFile(
		new URL('../fixtures/imports/facilities-bad-rows.csv', import.meta.url),
		'utf8'
	);
	return parseFacilitiesCsv(text, { crs: 'wgs84' });
}

function reasonOnLine(
	result: { rejected: { row: number; reason: string }[] },
	line: number
): string | undefined {
	return result.rejected.find((rejected) => rejected.row === line)?.reason;
}

describe('parseFacilitiesCsv', () => {
	it('accepts the good lines of a file that mixes good and bad ones', async () => {
		const result = await badRows();
		expect(result.accepted.map((record) => record.externalId)).toEqual(['F-01', 'F-08', 'F-09']);
		expect(result.rejected.map((rejected) => rejected.row)).toEqual([3, 4, 5, 6, 7, 8, 9, 13]);
	});

	it('reads every field of a good line, in WGS-84', async () => {
		const [first] = (await badRows()).accepted;
		expect(first).toEqual({
			row: 2,
			externalId: 'F-01',
			name: '莲前街道综合养老服务中心',
			kind: 'street_care_centre',
			status: 'open',
			beds: 60,
			nursingBeds: 20,
			openedOn: '2021-05-01',
			regionCode: '350203010',
			address: '莲前西路 1 号',
			position: [118.145, 24.478],
			needsGeocoding: false
		});
	});

	it('rejects an unknown kind, listing the allowed ones', async () => {
		expect(reasonOnLine(await badRows(), 3)).toBe(
			'kind "hospital" is not one of district_centre, street_care_centre, community_station, institution, medical'
		);
	});

	it('rejects text in beds', async () => {
		expect(reasonOnLine(await badRows(), 4)).toBe('beds "ten" is not a non-negative integer');
	});

	it('rejects a facility whose nursing beds exceed its beds, naming the line', async () => {
		expect(reasonOnLine(await badRows(), 5)).toBe('nursing_beds 30 exceeds beds 20');
	});

	it('rejects a duplicate external_id, pointing at the line where it was first seen', async () => {
		expect(reasonOnLine(await badRows(), 6)).toBe('duplicate external_id F-01 (first seen on line 2)');
	});

	it('rejects a line with an unclosed quote and still reads the lines after it', async () => {
		const result = await badRows();
		expect(reasonOnLine(result, 7)).toBe('line has an unclosed quote');
		expect(result.accepted.map((record) => record.externalId)).toContain('F-09');
	});

	it('rejects a facility without a name', async () => {
		expect(reasonOnLine(await badRows(), 8)).toBe('name is missing');
	});

	it('rejects a longitude out of range', async () => {
		expect(reasonOnLine(await badRows(), 9)).toBe('lon 218.1 is outside -180..180');
	});

	it('rejects a line with the wrong number of fields, counting blank lines in the line number', async () => {
		expect(reasonOnLine(await badRows(), 13)).toBe('line has 3 fields, expected 11 as in the header');
	});

	it('accepts a facility with an address but no coordinates, flagged for geocoding', async () => {
		const record = (await badRows()).accepted.find((r) => r.externalId === 'F-08');
		expect(record).toMatchObject({
			position: null,
			needsGeocoding: true,
			address: '厦门市思明区莲前东路 2 号',
			status: 'planned',
			beds: 0,
			nursingBeds: 0,
			regionCode: '350203010'
		});
	});

	it('defaults status to open and reads a quoted name containing a comma', async () => {
		const record = (await badRows()).accepted.find((r) => r.externalId === 'F-09');
		expect(record).toMatchObject({ name: 'Lianqian, Station', status: 'open', beds: 5, nursingBeds: 0 });
	});

	it('rejects a facility with neither coordinates nor an address', () => {
		const result = parseFacilitiesCsv(`${FACILITY_HEADER}\nF-1,A,medical,open,0,0,,,,,\n`, { crs: 'wgs84' });
		expect(result.rejected).toEqual([{ row: 2, reason: 'address is required when lon and lat are empty' }]);
	});

	it('rejects a facility with only one of lon and lat', () => {
		const result = parseFacilitiesCsv(`${FACILITY_HEADER}\nF-1,A,medical,open,0,0,,,,118.1,\n`, {
			crs: 'wgs84'
		});
		expect(result.rejected).toEqual([{ row: 2, reason: 'lat is missing while lon is given' }]);
	});

	it('rejects an impossible opening date and a malformed region code together', () => {
		const result = parseFacilitiesCsv(
			`${FACILITY_HEADER}\nF-1,A,medical,open,0,0,2021-02-30,35020301,,118.1,24.45\n`,
			{
				crs: 'wgs84'
			}
		);
		expect(result.rejected).toEqual([
			{
				row: 2,
				reason:
					'opened_on "2021-02-30" is not a date (YYYY-MM-DD); region_code 35020301 is not a 6-, 9- or 12-digit statistical code'
			}
		]);
	});

	it('rejects the whole file on line 1 when required header columns are missing', () => {
		const result = parseFacilitiesCsv('id,name,lon,lat\nF-1,A,118.1,24.45\n', { crs: 'wgs84' });
		expect(result).toEqual({
			accepted: [],
			rejected: [{ row: 1, reason: 'header is missing required columns external_id, kind' }]
		});
	});

	it('reads a file with a byte-order mark, CRLF line ends and a quoted field spanning two lines', () => {
		const text = `\uFEFF${FACILITY_HEADER}\r\nF-1,"Two-line\r\nname",medical,open,0,0,,,,118.1,24.45\r\nF-2,B,medical,open,0,0,,,,118.1,24.46\r\n`;
		const result = parseFacilitiesCsv(text, { crs: 'wgs84' });
		expect(result.rejected).toEqual([]);
		expect(result.accepted.map((record) => record.name)).toEqual(['Two-line\nname', 'B']);
	});

	it('converts GCJ-02 positions back to within 1 m of the original WGS-84 points', () => {
		const originals: [number, number][] = [
			[118.0894, 24.4798],
			[118.1453, 24.4712],
			[118.1102, 24.4521]
		];
		const lines = originals.map((point, i) => {
			const [lon, lat] = convertPosition(point, 'wgs84', 'gcj02');
			return `F-${i},Station ${i},community_station,open,0,0,,,,${lon},${lat}`;
		});
		const result = parseFacilitiesCsv([FACILITY_HEADER, ...lines].join('\n'), { crs: 'gcj02' });
		expect(result.rejected).toEqual([]);
		result.accepted.forEach((record, i) => {
			expect(record.position).not.toBeNull();
			expect(distance(originals[i], record.position ?? [0, 0], { units: 'meters' })).toBeLessThan(1);
		});
	});
});

describe('parsePopulationCellsCsv', () => {
	it('reads cells with optional total and source', () => {
		const text =
			'cell_id,lon,lat,elderly,total,source\nC1,118.1,24.45,120,800,census 2020\nC2,118.11,24.45,35.5,,\n';
		expect(parsePopulationCellsCsv(text, { crs: 'wgs84' })).toEqual({
			accepted: [
				{ row: 2, cellId: 'C1', position: [118.1, 24.45], elderly: 120, total: 800, source: 'census 2020' },
				{ row: 3, cellId: 'C2', position: [118.11, 24.45], elderly: 35.5, total: null, source: null }
			],
			rejected: []
		});
	});

	it('rejects a cell whose total is below its elderly count', () => {
		const result = parsePopulationCellsCsv('cell_id,lon,lat,elderly,total\nC1,118.1,24.45,20,10\n', {
			crs: 'wgs84'
		});
		expect(result.rejected).toEqual([{ row: 2, reason: 'total 10 is less than elderly 20' }]);
	});

	it('rejects non-numeric coordinates, negative counts and duplicate ids, each on its own line', () => {
		const text =
			'cell_id,lon,lat,elderly\nC1,abc,24.45,1\nC2,118.1,24.45,-3\nC3,118.1,24.45,4\nC3,118.1,24.46,5\nC4,118.1,24.46,\n';
		const result = parsePopulationCellsCsv(text, { crs: 'wgs84' });
		expect(result.accepted.map((cell) => cell.cellId)).toEqual(['C3']);
		expect(result.rejected).toEqual([
			{ row: 2, reason: 'lon "abc" is not a number' },
			{ row: 3, reason: 'elderly -3 is negative' },
			{ row: 5, reason: 'duplicate cell_id C3 (first seen on line 4)' },
			{ row: 6, reason: 'elderly is missing' }
		]);
	});

	it('rejects the whole file on line 1 when the elderly column is missing', () => {
		const result = parsePopulationCellsCsv('cell_id,lon,lat\nC1,118.1,24.45\n', { crs: 'wgs84' });
		expect(result.rejected).toEqual([{ row: 1, reason: 'header is missing required column elderly' }]);
	});
});

describe('parseHouseholdsCsv', () => {
	const header = 'external_id,resident_name,phone,address,lon,lat,risk_level,consent';

	it('reads good households and names the problem of each bad line', () => {
		const text = [
			header,
			'H-1,林阿婆,0592-5551234,思明区大同路 1 号,118.081,24.458,high,是',
			'H-2,陈伯,,,118.09,24.46,,no',
			'H-3,,13800000000,,118.09,24.46,low,yes',
			'H-4,王奶奶,call me,,118.09,24.46,low,yes',
			'H-5,张爷爷,,,118.09,24.46,extreme,yes',
			'H-6,李阿姨,,,118.09,24.46,low,maybe',
			'H-1,重复,,,118.09,24.46,low,yes'
		].join('\n');
		const result = parseHouseholdsCsv(text, { crs: 'wgs84' });
		expect(result.accepted.map((h) => [h.externalId, h.riskLevel, h.consent])).toEqual([
			['H-1', 'high', true],
			['H-2', null, false]
		]);
		expect(result.rejected).toEqual([
			{ row: 4, reason: 'resident_name is missing' },
			{ row: 5, reason: 'phone "call me" is not a phone number' },
			{ row: 6, reason: expect.stringMatching(/^risk_level "extreme" is not one of low, medium, high/) },
			{ row: 7, reason: 'consent "maybe" must be yes or no' },
			{ row: 8, reason: 'duplicate external_id H-1 (first seen on line 2)' }
		]);
	});
});
