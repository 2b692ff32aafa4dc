/**
 * The registration API (`POST /api/districts/{code}/households`, `/devices`, `/devices/{id}/credential`):
 * how programs outside the platform — the simulators, a vendor's provisioning tool — enrol households
 * and devices without the operator pages. The routes validate the body with the schemas here and call
 * these functions; every change is audited by the registry functions they use.
 */
import { z } from 'zod';
import type { Sql } from '../db/client';
import { DEVICE_ID, DEVICE_KINDS } from '../../mqtt/contract';
import { addDevice, rotateCredential } from './device-admin';
import { FIRMWARE_MAX_LENGTH, HEARTBEAT_S, PHONE_PATTERN, RISK_LEVELS } from './fields';
import { createHousehold } from './households';
import type { RegisteredDevice } from './registry';

const phone = z.string().trim().regex(PHONE_PATTERN, 'must be a phone number such as 0592-5550000');

/** A household as HouseholdInput has it, minus the district (the URL names it). */
export const householdBody = z
	.object({
		externalId: z.string().regex(/^\S{1,64}$/, 'must be 1–64 characters without spaces'),
		residentName: z.string().trim().min(1).max(100),
		phone: phone.nullable().optional(),
		address: z.string().trim().max(200).nullable().optional(),
		location: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
		riskLevel: z.enum(RISK_LEVELS).optional(),
		emergencyContacts: z
			.array(
				z
					.object({
						name: z.string().trim().min(1).max(50),
						phone,
						relation: z.string().trim().max(20).optional()
					})
					.strict()
			)
			.max(10)
			.optional(),
		consent: z.boolean({ message: 'must be stated (true or false)' })
	})
	.strict();
export type HouseholdBody = z.output<typeof householdBody>;

export const deviceBody = z
	.object({
		id: z.string().regex(DEVICE_ID, 'must be 3–64 letters, digits, _ or -, starting with a letter or digit'),
		householdExternalId: z.string().min(1).max(64),
		kind: z.enum(DEVICE_KINDS),
		heartbeatS: z.number().int().min(HEARTBEAT_S.min).max(HEARTBEAT_S.max).optional(),
		firmware: z.string().trim().min(1).max(FIRMWARE_MAX_LENGTH).optional()
	})
	.strict();
export type DeviceBody = z.output<typeof deviceBody>;

/** What a registration call answers: the created thing, or an HTTP status with the reason. */
export type ApiOutcome<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409; message: string };

export async function registerHouseholdFromApi(
	sql: Sql,
	districtCode: string,
	body: HouseholdBody,
	actor: string
): Promise<ApiOutcome<{ id: number }>> {
	const created = await createHousehold(
		sql,
		{
			externalId: body.externalId,
			districtCode,
			residentName: body.residentName,
			phone: body.phone ?? null,
			address: body.address ?? null,
			location: body.location,
			riskLevel: body.riskLevel ?? 'medium',
			emergencyContacts: body.emergencyContacts ?? [],
			consent: body.consent
		},
		actor
	);
	if ('id' in created) return { ok: true, value: created };
	return created.refused === 'external_id_taken'
		? { ok: false, status: 409, message: `household ${body.externalId} is already registered` }
		: { ok: false, status: 400, message: `location: is not inside district ${districtCode}` };
}

/** The household of the district with this external id, or null. */
async function householdIdOf(sql: Sql, districtCode: string, externalId: string): Promise<number | null> {
	const [row]: { id: string }[] = await sql`
		select id from households where external_id = ${externalId} and district_code = ${districtCode}`;
	return row ? Number(row.id) : null;
}

/** Registers a device in a household of the district; its password is in the answer, once. */
export async function registerDeviceFromApi(
	sql: Sql,
	districtCode: string,
	body: DeviceBody,
	actor: string
): Promise<ApiOutcome<RegisteredDevice>> {
	const householdId = await householdIdOf(sql, districtCode, body.householdExternalId);
	if (householdId === null)
		return {
			ok: false,
			status: 404,
			message: `household ${body.householdExternalId} does not exist in district ${districtCode}`
		};
	const registered = await addDevice(
		sql,
		householdId,
		{
			id: body.id,
			kind: body.kind,
			heartbeatS: body.heartbeatS ?? HEARTBEAT_S.default,
			firmware: body.firmware ?? null
		},
		actor
	);
	if ('refused' in registered)
		return {
			ok: false,
			status: 409,
			message: `device ${body.id} is already registered (ids are never reused)`
		};
	return { ok: true, value: registered };
}

/**
 * Gives a device of the district in service a new password (the old one stops working); how a
 * provisioning tool that lost a password, or a simulator run again, gets a login back.
 */
export async function rotateCredentialFromApi(
	sql: Sql,
	districtCode: string,
	deviceId: string,
	actor: string
): Promise<ApiOutcome<RegisteredDevice>> {
	const [device]: { householdId: string }[] = await sql`
		select d.household_id from devices d join households h on h.id = d.household_id
		where d.id = ${deviceId} and h.district_code = ${districtCode} and d.retired_at is null`;
	const rotated = device ? await rotateCredential(sql, Number(device.householdId), deviceId, actor) : null;
	return rotated
		? { ok: true, value: rotated }
		: { ok: false, status: 404, message: `device ${deviceId} is not in service in district ${districtCode}` };
}
