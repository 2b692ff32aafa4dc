/**
 * The MQTT contract between devices and the platform (documented in the README, version 1).
 * Topics: care/{district}/devices/{deviceId}/{event|telemetry|status}, downlink .../cmd.
 * One schema per payload kind; every message is validated before anything is stored.
 */
import { z } from 'zod';

export const CONTRACT_VERSION = 1;
export const MAX_PAYLOAD_BYTES = 16 * 1024;

export const UPLINK_KINDS = ['event', 'telemetry', 'status'] as const;
export type UplinkKind = (typeof UPLINK_KINDS)[number];

export const DEVICE_KINDS = [
	'sos_button',
	'fall_detector',
	'smoke',
	'gas',
	'water_leak',
	'door',
	'inactivity',
	'bed_vitals',
	'gps_watch'
] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** What a device can report as an event; each maps to an alert kind with a default severity. */
export const EVENT_TYPES = [
	'sos',
	'fall',
	'smoke',
	'gas',
	'water_leak',
	'door_open',
	'door_closed',
	'no_motion',
	'motion',
	'abnormal_vitals',
	'geofence_exit',
	'low_battery',
	'test'
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A device id as migration 0006 allows it: 3–64 letters, digits, `_` or `-`, starting with a letter or digit. */
export const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
const DISTRICT = /^\d{6}$/;

export interface ParsedTopic {
	districtCode: string;
	deviceId: string;
	kind: UplinkKind | 'cmd';
}

/** Splits a device topic; null when it is not one of ours. */
export function parseDeviceTopic(topic: string): ParsedTopic | null {
	const parts = topic.split('/');
	if (parts.length !== 5 || parts[0] !== 'care' || parts[2] !== 'devices') return null;
	const [, districtCode, , deviceId, kind] = parts;
	if (!DISTRICT.test(districtCode) || !DEVICE_ID.test(deviceId)) return null;
	if (!(UPLINK_KINDS as readonly string[]).includes(kind) && kind !== 'cmd') return null;
	return { districtCode, deviceId, kind: kind as ParsedTopic['kind'] };
}

export function deviceTopic(districtCode: string, deviceId: string, kind: UplinkKind | 'cmd'): string {
	return `care/${districtCode}/devices/${deviceId}/${kind}`;
}

/** The years a device's clock may claim: outside them the clock is wrong, not the world. */
export const EARLIEST_YEAR = 2000;
export const LATEST_YEAR = 2100;
/** The widest zone offsets in use (UTC−12:00 … UTC+14:00, Kiribati), taken as ±14:00 both ways. */
export const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * An ISO 8601 time with a zone, e.g. 2026-11-29T08:00:00+08:00. Its year as written must lie in
 * EARLIEST_YEAR…LATEST_YEAR and its offset within ±14:00, so that what is stored is a time a
 * device can mean and PostgreSQL can hold (a year 99999 is valid ISO 8601 but a data exception there).
 */
const timestamp = z.iso
	.datetime({
		offset: true,
		message: 'must be an ISO 8601 time with a zone, e.g. 2026-11-29T08:00:00+08:00'
	})
	.refine(
		(value) => {
			const year = Number(value.slice(0, 4));
			return year >= EARLIEST_YEAR && year <= LATEST_YEAR;
		},
		{ message: `must be a time in the years ${EARLIEST_YEAR} to ${LATEST_YEAR}`, abort: true }
	)
	.refine(
		(value) => {
			const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
			return !offset || Number(offset[2]) * 60 + Number(offset[3]) <= MAX_OFFSET_MINUTES;
		},
		{ message: 'must have a zone offset within ±14:00' }
	);

/**
 * A string field: PostgreSQL's text and jsonb cannot hold the NUL character, so a message with
 * one would be refused by the database; it is refused here, with the field named.
 */
const text = () => z.string().refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');
const position = z.object({
	lon: z.number().min(-180).max(180),
	lat: z.number().min(-90).max(90),
	accuracyM: z.number().nonnegative().optional()
});

export const eventPayload = z
	.object({
		v: z.literal(CONTRACT_VERSION),
		eventId: text()
			.min(1)
			.max(64)
			.regex(/^\P{Cc}+$/u, 'must not contain control characters'),
		type: z.enum(EVENT_TYPES),
		at: timestamp,
		/** Detector confidence 0…1 where the device has one (fall detectors, bed sensors). */
		confidence: z.number().min(0).max(1).optional(),
		position: position.optional(),
		vitals: z
			.object({
				heartRate: z.number().int().min(0).max(300).optional(),
				breathingRate: z.number().int().min(0).max(100).optional()
			})
			.optional()
	})
	.strict();

export const telemetryPayload = z
	.object({
		v: z.literal(CONTRACT_VERSION),
		at: timestamp,
		battery: z.number().min(0).max(100).optional(),
		rssi: z.number().int().min(-150).max(0).optional(),
		position: position.optional(),
		heartRate: z.number().int().min(0).max(300).optional(),
		breathingRate: z.number().int().min(0).max(100).optional(),
		inBed: z.boolean().optional()
	})
	.strict();

export const statusPayload = z
	.object({
		v: z.literal(CONTRACT_VERSION),
		state: z.enum(['online', 'offline']),
		at: timestamp.optional(),
		firmware: text().max(32).optional(),
		heartbeatS: z.number().int().min(10).max(86_400).optional()
	})
	.strict();

export const cmdPayload = z
	.object({
		v: z.literal(CONTRACT_VERSION),
		cmdId: text().min(1).max(64),
		type: z.enum(['help_coming', 'ping', 'silence']),
		at: timestamp,
		text: text().max(200).optional()
	})
	.strict();

export type EventPayload = z.infer<typeof eventPayload>;
export type TelemetryPayload = z.infer<typeof telemetryPayload>;
export type StatusPayload = z.infer<typeof statusPayload>;
export type CmdPayload = z.infer<typeof cmdPayload>;

const SCHEMAS = { event: eventPayload, telemetry: telemetryPayload, status: statusPayload } as const;

export type UplinkMessage =
	| { kind: 'event'; payload: EventPayload }
	| { kind: 'telemetry'; payload: TelemetryPayload }
	| { kind: 'status'; payload: StatusPayload };

export type Validation = { ok: true; message: UplinkMessage } | { ok: false; reason: string };

/** One decoder for every message: decoding without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Validates the bytes of one uplink message of the given kind: size, UTF-8 JSON, then the schema.
 * The reason names the first problem found, in words an operator can act on.
 */
export function validateUplink(kind: UplinkKind, bytes: Uint8Array): Validation {
	if (bytes.byteLength > MAX_PAYLOAD_BYTES) {
		return {
			ok: false,
			reason: `payload of ${bytes.byteLength} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`
		};
	}
	let json: unknown;
	try {
		json = JSON.parse(UTF8.decode(bytes));
	} catch (error) {
		return { ok: false, reason: `payload is not UTF-8 JSON (${(error as Error).message})` };
	}
	const parsed = SCHEMAS[kind].safeParse(json);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = issue.path.length ? issue.path.join('.') : 'payload';
		return { ok: false, reason: `${kind} ${field}: ${issue.message}` };
	}
	return { ok: true, message: { kind, payload: parsed.data } as UplinkMessage };
}
