/**
 * The operator pages' household register. A household holds a resident's personal data, so every
 * function here that returns it, or changes it, writes the audit log — a change in the same
 * transaction, a read before the data leaves this module.
 */
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';
import { insideDistrict } from '../imports/inside-district';
import type { RiskLevel } from './fields';
import { communityAt, pointOf, type EmergencyContact } from './registry';

const HOUSEHOLD_PAGE_SIZE = 50;

export interface HouseholdListItem {
	id: number;
	externalId: string;
	residentName: string;
	phone: string | null;
	communityName: string | null;
	riskLevel: RiskLevel;
	consent: boolean;
	/** Devices in service (retired ones are not counted). */
	devices: number;
	online: number;
	offline: number;
}

export interface HouseholdList {
	items: HouseholdListItem[];
	total: number;
	page: number;
	pageCount: number;
}

/** `%`, `_` and `\` in what the operator typed are matched literally. */
function containsPattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of the district's households, newest first, matching `search` in the resident's name,
 * the external id or the community's name or code. The read is audited as one `household.list`
 * entry naming the households shown.
 */
export async function listHouseholds(
	sql: Sql,
	query: { districtCode: string; search: string; page: number },
	actor: string
): Promise<HouseholdList> {
	const pattern = query.search ? containsPattern(query.search) : null;
	const matching = () => sql`
		h.district_code = ${query.districtCode}
		${
			pattern
				? sql`and (h.resident_name ilike ${pattern} or h.external_id ilike ${pattern}
					or c.name ilike ${pattern} or h.community_code like ${pattern})`
				: sql``
		}`;
	const [{ total }] = await sql<{ total: number }[]>`
		select count(*)::int as total from households h left join regions c on c.code = h.community_code
		where ${matching()}`;
	const rows = await sql<(Omit<HouseholdListItem, 'id'> & { id: string })[]>`
		select h.id, h.external_id, h.resident_name, h.phone, c.name as community_name, h.risk_level, h.consent,
			count(d.id) filter (where d.retired_at is null)::int as devices,
			count(d.id) filter (where d.retired_at is null and d.online)::int as online,
			count(d.id) filter (where d.retired_at is null and not d.online)::int as offline
		from households h
		left join regions c on c.code = h.community_code
		left join devices d on d.household_id = h.id
		where ${matching()}
		group by h.id, c.name
		order by h.id desc
		limit ${HOUSEHOLD_PAGE_SIZE} offset ${(query.page - 1) * HOUSEHOLD_PAGE_SIZE}`;
	const items = rows.map((row) => ({ ...row, id: Number(row.id) }));
	await recordAudit(sql, {
		actor,
		action: 'household.list',
		subjectType: 'household',
		subjectId: '*',
		districtCode: query.districtCode,
		detail: { search: query.search, page: query.page, householdIds: items.map((h) => h.id) }
	});
	return { items, total, page: query.page, pageCount: Math.max(1, Math.ceil(total / HOUSEHOLD_PAGE_SIZE)) };
}

export interface HouseholdFields {
	residentName: string;
	phone: string | null;
	address: string | null;
	/** [lon, lat] in WGS-84. */
	location: [number, number];
	riskLevel: RiskLevel;
	emergencyContacts: EmergencyContact[];
	consent: boolean;
}

export interface HouseholdDetail extends HouseholdFields {
	id: number;
	externalId: string;
	communityCode: string | null;
	communityName: string | null;
	createdAt: Date;
}

/** A household of the district with its personal data; the read is audited as `household.read`. */
export async function readHousehold(
	sql: Sql,
	id: number,
	districtCode: string,
	actor: string
): Promise<HouseholdDetail | null> {
	const [row] = await sql<
		(Omit<HouseholdDetail, 'id' | 'location'> & { id: string; lon: number; lat: number })[]
	>`
		select h.id, h.external_id, h.resident_name, h.phone, h.address, st_x(h.location) as lon,
			st_y(h.location) as lat, h.risk_level, h.emergency_contacts, h.consent, h.community_code,
			c.name as community_name, h.created_at
		from households h left join regions c on c.code = h.community_code
		where h.id = ${id} and h.district_code = ${districtCode}`;
	if (!row) return null;
	await recordAudit(sql, {
		actor,
		action: 'household.read',
		subjectType: 'household',
		subjectId: id,
		districtCode
	});
	const { lon, lat, ...household } = row;
	return { ...household, id, location: [lon, lat] };
}

/** Whether the district has this household (no personal data is read, so nothing is audited). */
export async function householdExists(sql: Sql, id: number, districtCode: string): Promise<boolean> {
	const rows = await sql`select 1 from households where id = ${id} and district_code = ${districtCode}`;
	return rows.length > 0;
}

/** Why a household was not saved: its external id is taken, or its home is not in the district. */
export type HouseholdRefusal = 'external_id_taken' | 'outside_district';

/** Adds a household to the district, in the community its home lies in. */
export async function createHousehold(
	sql: Sql,
	household: HouseholdFields & { externalId: string; districtCode: string },
	actor: string
): Promise<{ id: number } | { refused: HouseholdRefusal }> {
	const [inside] = await insideDistrict(sql, household.districtCode, [household.location]);
	if (!inside) return { refused: 'outside_district' };
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const point = pointOf(tx, household.location);
		const [row]: { id: string }[] = await tx`
			insert into households (external_id, district_code, community_code, resident_name, phone, address,
				location, risk_level, emergency_contacts, consent)
			values (${household.externalId}, ${household.districtCode}, ${communityAt(tx, household.districtCode, point)},
				${household.residentName}, ${household.phone}, ${household.address}, ${point}, ${household.riskLevel},
				${tx.json(household.emergencyContacts)}, ${household.consent})
			on conflict (external_id) do nothing
			returning id`;
		if (!row) return { refused: 'external_id_taken' as const };
		await recordAudit(tx, {
			actor,
			action: 'household.create',
			subjectType: 'household',
			subjectId: row.id,
			districtCode: household.districtCode
		});
		return { id: Number(row.id) };
	});
}

/**
 * Changes a household's data; the audit entry names the fields that changed (never their values).
 * Null when the district has no such household.
 */
export async function updateHousehold(
	sql: Sql,
	id: number,
	districtCode: string,
	fields: HouseholdFields,
	actor: string
): Promise<{ changed: string[] } | { refused: HouseholdRefusal } | null> {
	const [inside] = await insideDistrict(sql, districtCode, [fields.location]);
	if (!inside) return { refused: 'outside_district' };
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const point = pointOf(tx, fields.location);
		const [row]: Record<string, boolean>[] = await tx`
			with before as (select * from households where id = ${id} and district_code = ${districtCode} for update)
			update households h set resident_name = ${fields.residentName}, phone = ${fields.phone},
				address = ${fields.address}, location = ${point}, community_code = ${communityAt(tx, districtCode, point)},
				risk_level = ${fields.riskLevel}, emergency_contacts = ${tx.json(fields.emergencyContacts)},
				consent = ${fields.consent}
			from before where h.id = before.id
			returning h.resident_name is distinct from before.resident_name as resident_name,
				h.phone is distinct from before.phone as phone, h.address is distinct from before.address as address,
				not st_equals(h.location, before.location) as location,
				h.risk_level is distinct from before.risk_level as risk_level,
				h.emergency_contacts is distinct from before.emergency_contacts as emergency_contacts,
				h.consent is distinct from before.consent as consent`;
		if (!row) return null;
		const changed = Object.keys(row).filter((field) => row[field]);
		await recordAudit(tx, {
			actor,
			action: 'household.update',
			subjectType: 'household',
			subjectId: id,
			districtCode,
			detail: { changed }
		});
		return { changed };
	});
}

/**
 * Deletes a household and its devices, but only while nothing happened there: a household with an
 * incident, or a device that ever reported an event, keeps its record (the history needs it).
 */
export async function deleteHousehold(
	sql: Sql,
	id: number,
	districtCode: string,
	actor: string
): Promise<'deleted' | 'has_history' | 'not_found'> {
	try {
		return await deleteUnlessHistory(sql, id, districtCode, actor);
	} catch (error) {
		// A device reported its first event while we were deleting: the foreign key keeps it, and so do we.
		if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return 'has_history';
		throw error;
	}
}

const FOREIGN_KEY_VIOLATION = '23503';

function deleteUnlessHistory(sql: Sql, id: number, districtCode: string, actor: string) {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const [household] = await tx<{ history: boolean }[]>`
			select exists (select 1 from incidents where household_id = h.id)
				or exists (select 1 from device_events e join devices d on d.id = e.device_id where d.household_id = h.id)
				as history
			from households h where h.id = ${id} and h.district_code = ${districtCode} for update`;
		if (!household) return 'not_found' as const;
		if (household.history) return 'has_history' as const;
		const devices = await tx<{ id: string }[]>`delete from devices where household_id = ${id} returning id`;
		await tx`delete from households where id = ${id}`;
		await recordAudit(tx, {
			actor,
			action: 'household.delete',
			subjectType: 'household',
			subjectId: id,
			districtCode,
			detail: { devices: devices.map((d) => d.id) }
		});
		return 'deleted' as const;
	});
}
