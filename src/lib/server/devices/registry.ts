/**
 * Households and their devices: the registry writes shared by the operator pages and the CSV
 * importers, and the credential look-ups the broker and `npm run mqtt:acl` need. A retired device
 * keeps its row (its history points at it) but has no login any more.
 */
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/client';
import type { DeviceKind } from '../../mqtt/contract';
import { hashCredential, mosquittoHash, newDeviceSecret } from './credentials';
import { HEARTBEAT_S, type RiskLevel } from './fields';

export interface HouseholdInput {
	externalId: string;
	districtCode: string;
	residentName: string;
	phone?: string | null;
	address?: string | null;
	location: [number, number];
	riskLevel?: RiskLevel;
	emergencyContacts?: EmergencyContact[];
	consent: boolean;
}

/** A type, not an interface, so it stays assignable to postgres.js's JSON parameter type. */
export type EmergencyContact = {
	name: string;
	phone: string;
	relation?: string;
};

/** The point of a [lon, lat] position in WGS-84, as the households table stores it. */
export function pointOf(sql: Sql, [lon, lat]: [number, number]): PendingQuery<Row[]> {
	return sql`st_setsrid(st_makepoint(${lon}, ${lat}), 4326)`;
}

/** The code of the district's community nearest to a point (the one it lies in, for points inside). */
export function communityAt(sql: Sql, districtCode: string, point: PendingQuery<Row[]>): PendingQuery<Row[]> {
	return sql`(select code from regions where level = 'community' and starts_with(code, ${districtCode})
		order by geom <-> ${point} limit 1)`;
}

/** Creates (or, by external id, updates) a household; it joins the community its location lies in. */
export async function saveHousehold(sql: Sql, h: HouseholdInput): Promise<number> {
	const point = pointOf(sql, h.location);
	const [{ id }]: { id: string }[] = await sql`
		insert into households (external_id, district_code, community_code, resident_name, phone, address, location,
			risk_level, emergency_contacts, consent)
		values (${h.externalId}, ${h.districtCode}, ${communityAt(sql, h.districtCode, point)},
			${h.residentName}, ${h.phone ?? null}, ${h.address ?? null}, ${point}, ${h.riskLevel ?? 'medium'},
			${sql.json(h.emergencyContacts ?? [])}, ${h.consent})
		on conflict (external_id) do update set
			community_code = excluded.community_code, resident_name = excluded.resident_name, phone = excluded.phone,
			address = excluded.address, location = excluded.location, risk_level = excluded.risk_level,
			emergency_contacts = excluded.emergency_contacts, consent = excluded.consent
		returning id`;
	return Number(id);
}

export interface RegisteredDevice {
	id: string;
	/** The device's MQTT password: shown once, stored only as a hash. */
	secret: string;
}

/** A device id that is already registered (retired ids included: they are never reused). */
export class DeviceIdTakenError extends Error {
	readonly code = 'DEVICE_ID_TAKEN';
	constructor(readonly deviceId: string) {
		super(`device ${deviceId} is already registered`);
	}
}

/** What an operator says about a device; devices also report their firmware and heartbeat themselves. */
export interface DeviceSettings {
	kind: DeviceKind;
	heartbeatS: number;
	/** Null keeps the firmware on record. */
	firmware: string | null;
}

/** Registers a new device with a fresh password; an id already in the registry throws DeviceIdTakenError. */
export async function registerDevice(
	sql: Sql,
	device: Partial<DeviceSettings> & { id: string; householdId: number; kind: DeviceKind; secret?: string }
): Promise<RegisteredDevice> {
	const secret = device.secret ?? newDeviceSecret();
	const inserted = await sql`
		insert into devices (id, household_id, kind, credential_hash, broker_hash, heartbeat_s, firmware)
		values (${device.id}, ${device.householdId}, ${device.kind}, ${await hashCredential(secret)},
			${mosquittoHash(secret)}, ${device.heartbeatS ?? HEARTBEAT_S.default}, ${device.firmware ?? null})
		on conflict (id) do nothing
		returning id`;
	if (inserted.length === 0) throw new DeviceIdTakenError(device.id);
	return { id: device.id, secret };
}

/**
 * Changes what a device is and how often it reports, and optionally moves it to another household.
 * False when there is no such device in service (unknown, retired, or of another household when
 * `ofHousehold` is given).
 */
export async function updateDeviceSettings(
	sql: Sql,
	id: string,
	settings: DeviceSettings & { householdId?: number; ofHousehold?: number }
): Promise<boolean> {
	const updated = await sql`
		update devices set kind = ${settings.kind}, heartbeat_s = ${settings.heartbeatS},
			firmware = coalesce(${settings.firmware}, firmware),
			household_id = coalesce(${settings.householdId ?? null}::bigint, household_id)
		where id = ${id} and retired_at is null
			and (${settings.ofHousehold ?? null}::bigint is null or household_id = ${settings.ofHousehold ?? null})
		returning id`;
	return updated.length > 0;
}

/**
 * Gives a device in service a new password (the old one stops working at its next login) and returns
 * it; null when there is no such device in service.
 */
export async function issueNewCredential(
	sql: Sql,
	id: string,
	ofHousehold?: number
): Promise<RegisteredDevice | null> {
	const secret = newDeviceSecret();
	const updated = await sql`
		update devices set credential_hash = ${await hashCredential(secret)}, broker_hash = ${mosquittoHash(secret)}
		where id = ${id} and retired_at is null
			and (${ofHousehold ?? null}::bigint is null or household_id = ${ofHousehold ?? null})
		returning id`;
	return updated.length > 0 ? { id, secret } : null;
}

/** A device's stored password hash, for the broker's login check; null for unknown and retired devices. */
export async function deviceCredentialHash(sql: Sql, id: string): Promise<string | null> {
	const [row]: { credentialHash: string }[] = await sql`
		select credential_hash from devices where id = ${id} and retired_at is null`;
	return row?.credentialHash ?? null;
}

/** Every device's Mosquitto password hash (devices without one, and retired ones, cannot log in there). */
export async function brokerHashes(sql: Sql): Promise<{ id: string; brokerHash: string }[]> {
	return sql<{ id: string; brokerHash: string }[]>`
		select id, broker_hash from devices where broker_hash is not null and retired_at is null order by id`;
}
