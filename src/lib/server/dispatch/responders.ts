/**
 * Responders: community station staff, grid workers, volunteers, street centre staff and the duty
 * desk, with their territory, shift, status and last known position.
 */
import type { ResponderRole, ResponderStatus, ResponderSummary } from '../../realtime/events';
import { withAudit, type AuditEntry } from '../audit/audit-log';
import type { Sql } from '../db/client';

export interface ResponderInput {
	externalId: string;
	districtCode: string;
	name: string;
	phone?: string | null;
	role: ResponderRole;
	communityCode?: string | null;
	streetCode?: string | null;
	skills?: string[];
	status?: ResponderStatus;
	location?: [number, number] | null;
	/** 'HH:MM' in Asia/Shanghai; the default shift is the whole day. */
	shiftStart?: string;
	shiftEnd?: string;
}

/** Creates or (by external id) updates a responder; returns its id and whether it is new. */
async function upsertResponder(sql: Sql, r: ResponderInput): Promise<{ id: number; created: boolean }> {
	const point = r.location ? sql`st_setsrid(st_makepoint(${r.location[0]}, ${r.location[1]}), 4326)` : null;
	const [row]: { id: string; created: boolean }[] = await sql`
		insert into responders (external_id, district_code, name, phone, role, community_code, street_code, skills,
			status, location, position_at, shift_start, shift_end)
		values (${r.externalId}, ${r.districtCode}, ${r.name}, ${r.phone ?? null}, ${r.role}, ${r.communityCode ?? null},
			${r.streetCode ?? null}, ${sql.array(r.skills ?? [])}::text[], ${r.status ?? 'available'}, ${point},
			${point ? sql`now()` : null}, ${r.shiftStart ?? '00:00'}, ${r.shiftEnd ?? '24:00'})
		on conflict (external_id) do update set
			name = excluded.name, phone = excluded.phone, role = excluded.role, community_code = excluded.community_code,
			street_code = excluded.street_code, skills = excluded.skills,
			-- Busy belongs to dispatch: registering again does not free a responder from a live job.
			status = case when responders.status = 'busy' then 'busy' else excluded.status end,
			location = excluded.location, position_at = excluded.position_at, shift_start = excluded.shift_start,
			shift_end = excluded.shift_end, updated_at = now()
		returning id, (xmax = 0) as created`;
	return { id: Number(row.id), created: row.created };
}

/** Creates or (by external id) updates a responder; returns its id. For seeding and tests. */
export async function saveResponder(sql: Sql, r: ResponderInput): Promise<number> {
	return (await upsertResponder(sql, r)).id;
}

/** A change to a responder, for the audit log. */
function responderAudit(
	actor: string,
	responder: ResponderSummary,
	detail: Record<string, unknown>
): AuditEntry {
	return {
		actor,
		action: 'responder.update',
		subjectType: 'responder',
		subjectId: responder.id,
		districtCode: responder.districtCode,
		detail
	};
}

/**
 * Registers a responder or updates the one with the same external id (the responders' app, the
 * simulators, an administrator), audited in the same transaction. The audit row keeps what the
 * registration set, without the phone number or position.
 */
export async function registerResponder(
	sql: Sql,
	r: ResponderInput,
	actor: string
): Promise<ResponderSummary> {
	const registered = await withAudit(
		sql,
		async (tx) => {
			const saved = await upsertResponder(tx, r);
			return { responder: (await findResponder(tx, saved.id))!, created: saved.created };
		},
		(done) =>
			responderAudit(actor, done.responder, {
				created: done.created,
				externalId: r.externalId,
				name: r.name,
				role: r.role,
				communityCode: r.communityCode ?? null,
				streetCode: r.streetCode ?? null,
				skills: r.skills ?? [],
				status: done.responder.status,
				shiftStart: r.shiftStart ?? '00:00',
				shiftEnd: r.shiftEnd ?? '24:00'
			})
	);
	return registered.responder;
}

/** The columns toResponder reads, for a query over `responders`; a constant, safe to splice. */
export const RESPONDER_COLUMNS =
	'id, district_code, name, role, community_code, street_code, skills, status, ' +
	"to_char(shift_start, 'HH24:MI') as shift_start, to_char(shift_end, 'HH24:MI') as shift_end, " +
	'st_x(location) as lon, st_y(location) as lat, position_at';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toResponder(row: any, now = new Date()): ResponderSummary {
	return {
		id: Number(row.id),
		districtCode: row.districtCode,
		name: row.name,
		role: row.role,
		communityCode: row.communityCode,
		streetCode: row.streetCode,
		skills: row.skills,
		status: row.status,
		onShift: isOnShift(row.shiftStart, row.shiftEnd, now),
		location: row.lon === null || row.lon === undefined ? null : [row.lon, row.lat],
		positionAt: row.positionAt ? new Date(row.positionAt).toISOString() : null
	};
}

const SHANGHAI_OFFSET_MIN = 8 * 60;

/**
 * Whether `now` falls in a daily shift given as 'HH:MM' Asia/Shanghai times; a shift may run past
 * midnight (22:00–06:00), and 00:00–24:00 is the whole day.
 * @example isOnShift('22:00', '06:00', new Date('2026-11-29T15:00:00Z')) // 23:00 in Xiamen → true
 */
export function isOnShift(start: string, end: string, now: Date): boolean {
	const minutes = (hhmm: string) => {
		const [h, m] = hhmm.split(':').map(Number);
		return h * 60 + m;
	};
	const local = (now.getUTCHours() * 60 + now.getUTCMinutes() + SHANGHAI_OFFSET_MIN) % 1440;
	const from = minutes(start);
	const to = minutes(end);
	return from <= to ? local >= from && local < to : local >= from || local < to;
}

export async function respondersOfDistrict(sql: Sql, districtCode: string): Promise<ResponderSummary[]> {
	const rows = await sql`
		select ${sql.unsafe(RESPONDER_COLUMNS)} from responders
		where district_code = ${districtCode} order by name, id`;
	const now = new Date();
	return rows.map((row) => toResponder(row, now));
}

export async function findResponder(sql: Sql, id: number): Promise<ResponderSummary | null> {
	const [row] = await sql`select ${sql.unsafe(RESPONDER_COLUMNS)} from responders where id = ${id}`;
	return row ? toResponder(row) : null;
}

/**
 * A position report: from the responder's phone or watch (routine, every few minutes, not audited),
 * or set by someone acting for them (`auditAs`, e.g. a dispatcher placing them), which is audited.
 */
export async function moveResponder(
	sql: Sql,
	id: number,
	location: [number, number],
	auditAs: string | null = null
): Promise<ResponderSummary | null> {
	const move = async (db: Sql) => {
		const [row] = await db`
			update responders set location = st_setsrid(st_makepoint(${location[0]}, ${location[1]}), 4326),
				position_at = now(), updated_at = now()
			where id = ${id}
			returning ${db.unsafe(RESPONDER_COLUMNS)}`;
		return row ? toResponder(row) : null;
	};
	if (!auditAs) return move(sql);
	return withAudit(sql, move, (moved) => moved && responderAudit(auditAs, moved, { location }));
}

/**
 * A responder going on or off duty, audited with who did it. Busy is set by dispatch alone, so a
 * responder with a live job cannot make themselves available or off without finishing it (null).
 */
export async function setResponderDuty(
	sql: Sql,
	id: number,
	status: 'available' | 'off',
	actor: string
): Promise<ResponderSummary | null> {
	return withAudit(
		sql,
		async (tx) => {
			const [row] = await tx`
				update responders set status = ${status}, updated_at = now()
				where id = ${id} and status <> 'busy'
				returning ${tx.unsafe(RESPONDER_COLUMNS)}`;
			return row ? toResponder(row) : null;
		},
		(changed) => changed && responderAudit(actor, changed, { status })
	);
}
