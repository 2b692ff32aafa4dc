/** Households and their devices: registration, and the look-ups ingest and the broker need. */
import type { Sql } from '../db/client';
import type { DeviceKind } from '../mqtt/contract';
import { hashCredential, mosquittoHash, newDeviceSecret } from './credentials';

export interface HouseholdInput {
	externalId: string;
	districtCode: string;
	residentName: string;
	phone?: string | null;
	address?: string | null;
	location: [number, number];
	riskLevel?: 'low' | 'medium' | 'high';
	emergencyContacts?: { name: string; phone: string; relation?: string }[];
	consent: boolean;
}

/** Creates (or, by external id, updates) a household; it joins the community its location lies in. */
export async function saveHousehold(sql: Sql, h: HouseholdInput): Promise<number> {
	const point = sql`st_setsrid(st_makepoint(${h.location[0]}, ${h.location[1]}), 4326)`;
	const [{ id }]: { id: string }[] = await sql`
		insert into households (external_id, district_code, community_code, resident_name, phone, address, location,
			risk_level, emergency_contacts, consent)
		values (${h.externalId}, ${h.districtCode},
			(select code from regions where level = 'community' and starts_with(code, ${h.districtCode})
				order by geom <-> ${point} limit 1),
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

export async function registerDevice(
	sql: Sql,
	device: { id: string; householdId: number; kind: DeviceKind; heartbeatS?: number; secret?: string }
): Promise<RegisteredDevice> {
	const secret = device.secret ?? newDeviceSecret();
	await sql`
		insert into devices (id, household_id, kind, credential_hash, broker_hash, heartbeat_s)
		values (${device.id}, ${device.householdId}, ${device.kind}, ${await hashCredential(secret)}, ${mosquittoHash(secret)},
			${device.heartbeatS ?? 300})
		on conflict (id) do update set household_id = excluded.household_id, kind = excluded.kind,
			credential_hash = excluded.credential_hash, broker_hash = excluded.broker_hash, heartbeat_s = excluded.heartbeat_s`;
	return { id: device.id, secret };
}

/** What ingest needs to know about a device to file its messages. */
export interface IngestDevice {
	id: string;
	kind: DeviceKind;
	householdId: number;
	districtCode: string;
	communityCode: string | null;
	location: [number, number];
}

export async function findIngestDevice(sql: Sql, id: string): Promise<IngestDevice | null> {
	const [row] = await sql<
		(Omit<IngestDevice, 'householdId'> & { householdId: string; lon: number; lat: number })[]
	>`
		select d.id, d.kind, d.household_id, h.district_code, h.community_code,
			st_x(h.location) as lon, st_y(h.location) as lat
		from devices d join households h on h.id = d.household_id
		where d.id = ${id}`;
	if (!row) return null;
	return {
		id: row.id,
		kind: row.kind,
		householdId: Number(row.householdId),
		districtCode: row.districtCode,
		communityCode: row.communityCode,
		location: [row.lon, row.lat]
	};
}

/** The stored hash of a device's MQTT password, for the broker's login check. */
export async function deviceCredentialHash(sql: Sql, id: string): Promise<string | null> {
	const [row]: { credentialHash: string }[] = await sql`select credential_hash from devices where id = ${id}`;
	return row?.credentialHash ?? null;
}

/** Every device's Mosquitto password hash (devices without one cannot log in to Mosquitto). */
export async function brokerHashes(sql: Sql): Promise<{ id: string; brokerHash: string }[]> {
	return sql<{ id: string; brokerHash: string }[]>`
		select id, broker_hash from devices where broker_hash is not null order by id`;
}
