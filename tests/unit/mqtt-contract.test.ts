import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertOfEvent, worstSeverity } from '../../src/lib/server/alerts/alert-kinds';
import {
	cmdPayload,
	deviceTopic,
	MAX_PAYLOAD_BYTES,
	parseDeviceTopic,
	validateUplink
} from '../../src/lib/mqtt/contract';

const bytes = (value: unknown) =>
	new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const at = '2026-11-29T08:00:00+08:00';

/**
 * The JSON examples of the README's MQTT contract section, by message kind: each paragraph that opens
 * with a kind in backticks (`event`, …, `cmd`) is followed by that kind's example.
 */
function readmeExamples(): Map<string, unknown[]> {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	const section = readme.split(/^## MQTT contract.*$/m)[1]?.split(/^## /m)[0] ?? '';
	const examples = new Map<string, unknown[]>();
	for (const [, kind, json] of section.matchAll(
		/(?:^|\n\n)`(event|telemetry|status|cmd)`[\s\S]*?```json\n([\s\S]*?)\n```/g
	))
		examples.set(kind, [...(examples.get(kind) ?? []), JSON.parse(json)]);
	return examples;
}

describe('device topics', () => {
	it('round-trips a device topic and refuses anything else', () => {
		expect(parseDeviceTopic(deviceTopic('350203', 'FD-0001', 'event'))).toEqual({
			districtCode: '350203',
			deviceId: 'FD-0001',
			kind: 'event'
		});
		expect(parseDeviceTopic('care/350203/devices/FD-0001/selfie')).toBeNull();
		expect(parseDeviceTopic('care/3502/devices/FD-0001/event')).toBeNull();
		expect(parseDeviceTopic('care/350203/devices/../event')).toBeNull();
		expect(parseDeviceTopic('care/350203/devices/FD-0001/event/extra')).toBeNull();
	});
});

describe('validateUplink', () => {
	it('accepts each payload kind written as the README documents it', () => {
		const examples = readmeExamples();
		expect([...examples.keys()].sort()).toEqual(['cmd', 'event', 'status', 'telemetry']);
		for (const kind of ['event', 'telemetry', 'status'] as const)
			for (const example of examples.get(kind)!)
				expect(validateUplink(kind, bytes(example))).toEqual({
					ok: true,
					message: { kind, payload: example }
				});
		for (const example of examples.get('cmd')!) expect(cmdPayload.parse(example)).toEqual(example);
	});

	it('names the first problem: size, JSON, unknown fields, wrong types, missing zone', () => {
		const reason = (kind: 'event' | 'telemetry' | 'status', payload: Uint8Array) => {
			const result = validateUplink(kind, payload);
			return result.ok ? 'ok' : result.reason;
		};
		expect(reason('event', new Uint8Array(MAX_PAYLOAD_BYTES + 1))).toMatch(/exceeds the 16384-byte limit/);
		expect(reason('event', bytes('{"v":1'))).toMatch(/^payload is not UTF-8 JSON/);
		expect(reason('event', new Uint8Array([0xff, 0xfe]))).toMatch(/^payload is not UTF-8 JSON/);
		expect(reason('telemetry', bytes({ v: 1, at, battery: 'full' }))).toMatch(/^telemetry battery:/);
		expect(reason('telemetry', bytes({ v: 1, at, colour: 'red' }))).toMatch(
			/^telemetry payload: Unrecognized key/
		);
		expect(reason('event', bytes({ v: 1, eventId: 'e1', type: 'fall', at: '2026-11-29 08:00' }))).toMatch(
			/^event at: must be an ISO 8601 time with a zone/
		);
		expect(reason('event', bytes({ v: 2, eventId: 'e1', type: 'fall', at }))).toMatch(/^event v:/);
	});
});

describe('validateUplink limits', () => {
	const reason = (kind: 'event' | 'telemetry' | 'status', payload: unknown) => {
		const result = validateUplink(kind, bytes(payload));
		return result.ok ? 'ok' : result.reason;
	};
	const fall = (time: string) => ({ v: 1, eventId: 'e1', type: 'fall', at: time });

	it('accepts times from the year 2000 to the year 2100 as written, and refuses the others', () => {
		expect(reason('event', fall('2000-01-01T00:00:00+08:00'))).toBe('ok');
		expect(reason('event', fall('2100-12-31T23:59:59-14:00'))).toBe('ok');
		const outside = 'event at: must be a time in the years 2000 to 2100';
		expect(reason('event', fall('1999-12-31T23:59:59Z'))).toBe(outside);
		expect(reason('event', fall('2101-01-01T00:00:00Z'))).toBe(outside);
		expect(reason('telemetry', { v: 1, at: '1970-01-01T00:00:00Z' })).toBe(
			'telemetry at: must be a time in the years 2000 to 2100'
		);
		expect(reason('status', { v: 1, state: 'online', at: '9999-01-01T00:00:00Z' })).toBe(
			'status at: must be a time in the years 2000 to 2100'
		);
	});

	it('accepts zone offsets up to ±14:00 and refuses wider ones', () => {
		expect(reason('event', fall('2026-11-29T08:00:00+14:00'))).toBe('ok');
		expect(reason('event', fall('2026-11-29T08:00:00-14:00'))).toBe('ok');
		expect(reason('event', fall('2026-11-29T08:00:00Z'))).toBe('ok');
		const wide = 'event at: must have a zone offset within ±14:00';
		expect(reason('event', fall('2026-11-29T08:00:00+14:01'))).toBe(wide);
		expect(reason('event', fall('2026-11-29T08:00:00-23:59'))).toBe(wide);
	});

	it('refuses the NUL character in every string field, naming the field', () => {
		expect(reason('event', { ...fall('2026-11-29T08:00:00Z'), eventId: 'e\u00001' })).toBe(
			'event eventId: must not contain NUL characters'
		);
		expect(reason('status', { v: 1, state: 'online', firmware: 'v1\u0000' })).toBe(
			'status firmware: must not contain NUL characters'
		);
		const cmd = cmdPayload.safeParse({ v: 1, cmdId: 'c\u00001', type: 'ping', at });
		expect(cmd.success ? 'ok' : cmd.error.issues[0].message).toBe('must not contain NUL characters');
		const cmdText = cmdPayload.safeParse({ v: 1, cmdId: 'c1', type: 'ping', at, text: 'a\u0000' });
		expect(cmdText.success ? 'ok' : cmdText.error.issues[0].message).toBe('must not contain NUL characters');
	});
});

describe('alerts of events', () => {
	it('makes falls and SOS critical, inactivity high, and door events context only', () => {
		expect(alertOfEvent('fall')).toEqual({ kind: 'fall', severity: 'critical' });
		expect(alertOfEvent('sos')).toEqual({ kind: 'sos', severity: 'critical' });
		expect(alertOfEvent('no_motion')).toEqual({ kind: 'inactivity', severity: 'high' });
		expect(alertOfEvent('door_open')).toBeNull();
		expect(worstSeverity('medium', 'critical')).toBe('critical');
	});
});
