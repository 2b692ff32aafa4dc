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

/**
 * A household as the importers and tests save it. On an update, a field that is left out (or null)
 * keeps its stored value: a file that has no phone for a resident does not erase the one on record.
 */
export interface HouseholdInput {
	externalId: string;
	districtCode: string;
	residentName: string;
	phone?: string | null;
	address?: string | null;
	location: [number, number];
	/** New households default to medium. */
	riskLevel?: RiskLevel | null;
	/** Replaces the stored list when given; new households start with none. */
	emergencyContacts?: EmergencyContact[] | null;
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

/** An external id that a household of another district has: one district's import may not touch it. */
export class HouseholdOfOtherDistrictError extends Error {
	readonly code = 'HOUSEHOLD_OF_OTHER_DISTRICT';
	constructor(readonly externalId: string) {
		super(`household ${externalId} belongs to another district`);
	}
}

/**
 * Creates (or, by external id, updates) a household of the district; it joins the community its
 * location lies in. An external id of another district's household throws HouseholdOfOtherDistrictError.
 */
export async function saveHousehold(sql: Sql, h: HouseholdInput): Promise<number> {
	const point = pointOf(sql, h.location);
	const contacts = h.emergencyContacts ? sql.json(h.emergencyContacts) : null;
	const [saved]: { id: string }[] = await sql`
		insert into households (external_id, district_code, community_code, resident_name, phone, address, location,
			risk_level, emergency_contacts, consent)
		values (${h.externalId}, ${h.districtCode}, ${communityAt(sql, h.districtCode, point)},
			${h.residentName}, ${h.phone ?? null}, ${h.address ?? null}, ${point}, coalesce(${h.riskLevel ?? null}, 'medium'),
			coalesce(${contacts}::jsonb, '[]'::jsonb), ${h.consent})
		on conflict (external_id) do update set
			community_code = excluded.community_code, resident_name = excluded.resident_name,
			phone = coalesce(excluded.phone, households.phone),
			address = coalesce(excluded.address, households.address), location = excluded.location,
			risk_level = coalesce(${h.riskLevel ?? null}, households.risk_level),
			emergency_contacts = coalesce(${contacts}::jsonb, households.emergency_contacts), consent = excluded.consent
		where households.district_code = excluded.district_code
		returning id`;
	if (!saved) throw new HouseholdOfOtherDistrictError(h.externalId);
	return Number(saved.id);
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

/** Whose device a change may touch: one household's, or (for an import) one district's. */
export interface DeviceOwner {
	ofHousehold?: number;
	ofDistrict?: string;
}

function ownedBy(sql: Sql, owner: DeviceOwner): PendingQuery<Row[]> {
	const household = owner.ofHousehold === undefined ? sql`` : sql`and household_id = ${owner.ofHousehold}`;
	const district =
		owner.ofDistrict === undefined
			? sql``
			: sql`and household_id in (select id from households where district_code = ${owner.ofDistrict})`;
	return sql`${household} ${district}`;
}

/**
 * Changes what a device is and how often it reports, and optionally moves it to another household.
 * False when there is no such device in service (unknown, retired, or not of the owner given).
 */
export async function updateDeviceSettings(
	sql: Sql,
	id: string,
	settings: DeviceSettings & { householdId?: number } & DeviceOwner
): Promise<boolean> {
	const updated = await sql`
		update devices set kind = ${settings.kind}, heartbeat_s = ${settings.heartbeatS},
			firmware = coalesce(${settings.firmware}, firmware),
			household_id = coalesce(${settings.householdId ?? null}::bigint, household_id)
		where id = ${id} and retired_at is null ${ownedBy(sql, settings)}
		returning id`;
	return updated.length > 0;
}

/**
 * Gives a device in service a new password (the old one stops working at its next login) and returns
 * it; null when there is no such device in service (or not of the owner given).
 */
export async function issueNewCredential(
	sql: Sql,
	id: string,
	owner: DeviceOwner = {}
): Promise<RegisteredDevice | null> {
	const secret = newDeviceSecret();
	const updated = await sql`
		update devices set credential_hash = ${await hashCredential(secret)}, broker_hash = ${mosquittoHash(secret)}
		where id = ${id} and retired_at is null ${ownedBy(sql, owner)}
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
