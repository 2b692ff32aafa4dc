import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseDevicesCsv } from '../../src/lib/server/imports/csv-records';

async function badRows() {
	const text = await readFile(new URL('../fixtures/imports/devices-bad-rows.csv', import.meta.url), 'utf8');
	return parseDevicesCsv(text);
}

function reasonOnLine(result: { rejected: { row: number; reason: string }[] }, line: number) {
	return result.rejected.find((rejected) => rejected.row === line)?.reason;
}

describe('parseDevicesCsv', () => {
	it('accepts the good lines of a file that mixes good and bad ones, reporting every bad one by line', async () => {
		const result = await badRows();
		expect(result.accepted.map((record) => record.deviceId)).toEqual(['SOS-0001', 'FD-0001', 'BV-0001']);
		expect(result.rejected.map((rejected) => rejected.row)).toEqual([4, 5, 6, 7, 8, 9, 11, 12, 13]);
	});

	it('reads every field of a good line; firmware and new_credential are optional', async () => {
		const [first, second, third] = (await badRows()).accepted;
		expect(first).toEqual({
			row: 2,
			deviceId: 'SOS-0001',
			householdExternalId: 'H-0001',
			kind: 'sos_button',
			heartbeatS: 300,
			firmware: '2.4.1',
			newCredential: false
		});
		expect(second).toMatchObject({ row: 3, firmware: null, heartbeatS: 60, newCredential: false });
		expect(third).toMatchObject({ row: 10, kind: 'bed_vitals', firmware: '1.0.3', newCredential: true });
	});

	it('rejects a device id the broker would not accept', async () => {
		expect(reasonOnLine(await badRows(), 4)).toBe(
			'device_id "bad id!" must be 3 to 64 letters, digits, _ or -, starting with a letter or digit'
		);
	});

	it('rejects an unknown kind, listing the nine kinds', async () => {
		expect(reasonOnLine(await badRows(), 5)).toBe(
			'kind "toaster" is not one of sos_button, fall_detector, smoke, gas, water_leak, door, inactivity, bed_vitals, gps_watch'
		);
	});

	it('rejects a heartbeat outside 10..86400 seconds, and one that is not a whole number', async () => {
		const result = await badRows();
		expect(reasonOnLine(result, 6)).toBe('heartbeat_s 5 is outside 10..86400');
		expect(reasonOnLine(result, 9)).toBe('heartbeat_s "often" is not a whole number');
	});

	it('rejects a device id used twice in the file, pointing at the line where it was first seen', async () => {
		expect(reasonOnLine(await badRows(), 7)).toBe('duplicate device_id SOS-0001 (first seen on line 2)');
	});

	it('rejects a device without a household', async () => {
		expect(reasonOnLine(await badRows(), 8)).toBe('household_external_id is missing');
	});

	it('rejects a new_credential that is neither yes nor no', async () => {
		expect(reasonOnLine(await badRows(), 11)).toBe('new_credential "maybe" must be yes or no');
	});

	it('rejects a line with an unclosed quote and one with too few fields, and still reads the rest', async () => {
		const result = await badRows();
		expect(reasonOnLine(result, 12)).toBe('line has an unclosed quote');
		expect(reasonOnLine(result, 13)).toBe('line has 4 fields, expected 6 as in the header');
	});

	it('names every problem of a line at once', () => {
		const result = parseDevicesCsv('device_id,household_external_id,kind,heartbeat_s\nx,,lamp,0');
		expect(result.rejected).toEqual([
			{
				row: 2,
				reason:
					'device_id "x" must be 3 to 64 letters, digits, _ or -, starting with a letter or digit; household_external_id is missing; ' +
					'kind "lamp" is not one of sos_button, fall_detector, smoke, gas, water_leak, door, inactivity, bed_vitals, gps_watch; ' +
					'heartbeat_s 0 is outside 10..86400'
			}
		]);
	});

	it('rejects the whole file on line 1 when required header columns are missing', () => {
		expect(parseDevicesCsv('device_id,kind\nSOS-9,sos_button')).toEqual({
			accepted: [],
			rejected: [{ row: 1, reason: 'header is missing required columns household_external_id, heartbeat_s' }]
		});
	});
});
