/**
 * The operator pages' device register: the district's devices with their state, and the changes an
 * operator makes from a household's page, each audited in the same transaction. Passwords leave
 * this module only as the return value of the action that made them.
 */
import { recordAudit, type AuditAction } from '../audit/audit-log';
import type { Sql } from '../db/client';
import type { DeviceKind } from '../../mqtt/contract';
import { disconnectEmbeddedClient } from '../mqtt/broker';
import { LOW_BATTERY_PERCENT } from './fields';
import {
	DeviceIdTakenError,
	issueNewCredential,
	registerDevice,
	updateDeviceSettings,
	type DeviceSettings,
	type RegisteredDevice
} from './registry';

const DEVICE_PAGE_SIZE = 100;

export const DEVICE_STATES = ['online', 'offline', 'retired'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export interface DeviceListItem {
	id: string;
	kind: DeviceKind;
	firmware: string | null;
	battery: number | null;
	heartbeatS: number;
	lastSeen: Date | null;
	state: DeviceState;
	retiredAt: Date | null;
	householdId: number;
	householdExternalId: string;
}

export interface DeviceFilter {
	districtCode: string;
	kind?: DeviceKind;
	/** One state only; without it, the devices in service (online and offline). */
	state?: DeviceState;
	lowBattery?: boolean;
	/** A household's external id. */
	household?: string;
	/** A household's id: all its devices, retired ones too, unless `state` says otherwise. */
	householdId?: number;
	page?: number;
}

/** One page of the district's devices matching the filter, by id (retired ones last). */
export async function listDevices(
	sql: Sql,
	filter: DeviceFilter
): Promise<{ items: DeviceListItem[]; total: number; page: number; pageCount: number }> {
	const page = filter.page ?? 1;
	const matching = () => sql`
		h.district_code = ${filter.districtCode}
		${
			filter.state === 'retired'
				? sql`and d.retired_at is not null`
				: filter.state
					? sql`and d.retired_at is null and d.online = ${filter.state === 'online'}`
					: filter.householdId === undefined
						? sql`and d.retired_at is null`
						: sql``
		}
		${filter.kind ? sql`and d.kind = ${filter.kind}` : sql``}
		${filter.lowBattery ? sql`and d.battery < ${LOW_BATTERY_PERCENT}` : sql``}
		${filter.household ? sql`and h.external_id = ${filter.household}` : sql``}
		${filter.householdId !== undefined ? sql`and d.household_id = ${filter.householdId}` : sql``}`;
	const [{ total }] = await sql<{ total: number }[]>`
		select count(*)::int as total from devices d join households h on h.id = d.household_id where ${matching()}`;
	const rows = await sql<(Omit<DeviceListItem, 'householdId'> & { householdId: string })[]>`
		select d.id, d.kind, d.firmware, d.battery, d.heartbeat_s, d.last_seen, d.retired_at,
			case when d.retired_at is not null then 'retired' when d.online then 'online' else 'offline' end as state,
			d.household_id, h.external_id as household_external_id
		from devices d join households h on h.id = d.household_id
		where ${matching()}
		order by d.retired_at is not null, d.id
		limit ${DEVICE_PAGE_SIZE} offset ${(page - 1) * DEVICE_PAGE_SIZE}`;
	return {
		items: rows.map((row) => ({ ...row, householdId: Number(row.householdId) })),
		total,
		page,
		pageCount: Math.max(1, Math.ceil(total / DEVICE_PAGE_SIZE))
	};
}

/** Runs `change` and, unless it found nothing to change (null), its audit entry in one transaction. */
async function audited<T>(
	sql: Sql,
	entry: { actor: string; action: AuditAction; deviceId: string; householdId: number },
	change: (tx: Sql) => Promise<T | null>
): Promise<T | null> {
	const outcome = await sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const result = await change(tx);
		if (result === null) return null;
		await recordAudit(tx, {
			actor: entry.actor,
			action: entry.action,
			subjectType: 'device',
			subjectId: entry.deviceId,
			detail: { householdId: entry.householdId }
		});
		return result;
	});
	return outcome as T | null;
}

/** Registers a device in a household; its password is in the result, and nowhere else. */
export async function addDevice(
	sql: Sql,
	householdId: number,
	device: DeviceSettings & { id: string },
	actor: string
): Promise<RegisteredDevice | { refused: 'id_taken' }> {
	try {
		const registered = await audited(
			sql,
			{ actor, action: 'device.create', deviceId: device.id, householdId },
			(tx) => registerDevice(tx, { ...device, householdId })
		);
		return registered!;
	} catch (error) {
		if (error instanceof DeviceIdTakenError) return { refused: 'id_taken' };
		throw error;
	}
}

/** Changes a household's device in service; false when it has no such device in service. */
export async function editDevice(
	sql: Sql,
	householdId: number,
	deviceId: string,
	settings: DeviceSettings,
	actor: string
): Promise<boolean> {
	const done = await audited(sql, { actor, action: 'device.update', deviceId, householdId }, async (tx) =>
		(await updateDeviceSettings(tx, deviceId, { ...settings, ofHousehold: householdId })) ? true : null
	);
	return done === true;
}

/**
 * Takes a household's device out of service: it can no longer log in to the broker, and its row,
 * events and incidents stay as they were. False when it has no such device in service. On the
 * embedded broker its live connection is closed at once; Mosquitto closes it when it reloads the
 * files `npm run mqtt:acl` wrote.
 */
export async function retireDevice(
	sql: Sql,
	householdId: number,
	deviceId: string,
	actor: string
): Promise<boolean> {
	const done = await audited(sql, { actor, action: 'device.retire', deviceId, householdId }, async (tx) => {
		const retired = await tx`
			update devices set retired_at = now(), online = false
			where id = ${deviceId} and household_id = ${householdId} and retired_at is null
			returning id`;
		return retired.length > 0 ? true : null;
	});
	if (done) disconnectEmbeddedClient(deviceId);
	return done === true;
}

/**
 * Gives a household's device in service a new password (returned once); null when there is no such
 * device. Its connection made with the old password is closed at once on the embedded broker, and by
 * Mosquitto when it reloads the files `npm run mqtt:acl` wrote.
 */
export async function rotateCredential(
	sql: Sql,
	householdId: number,
	deviceId: string,
	actor: string
): Promise<RegisteredDevice | null> {
	const rotated = await audited(
		sql,
		{ actor, action: 'device.rotate_credential', deviceId, householdId },
		(tx) => issueNewCredential(tx, deviceId, { ofHousehold: householdId })
	);
	if (rotated) disconnectEmbeddedClient(deviceId);
	return rotated;
}
