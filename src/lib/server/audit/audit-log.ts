/**
 * The append-only audit log (the table refuses updates and deletes): who did what to which incident,
 * and who read which resident's personal data. Written in the same transaction as the action when
 * there is one, so an action is never recorded without happening or the other way round.
 */
import type { Sql } from '../db/client';

export const AUDIT_ACTIONS = [
	'incident.act',
	'incident.assign',
	'incident.detail_read',
	'incident.list',
	'incident.watch',
	'household.read',
	'household.list',
	'household.create',
	'household.update',
	'household.delete',
	'device.create',
	'device.update',
	'device.retire',
	'device.rotate_credential',
	'device.delete',
	'responder.update',
	'place_name.approve',
	'place_name.reject',
	'import.run',
	'address.import',
	'boundary.derive',
	'marker.import',
	'marker.photo_add',
	'campaign.create',
	'campaign.close',
	'campaign.inspect',
	'auth.login',
	'auth.login_failed',
	'auth.logout',
	'user.create',
	'user.disable',
	'user.enable',
	'personal_data.unmask'
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
	actor: string;
	action: AuditAction;
	subjectType:
		| 'incident'
		| 'household'
		| 'device'
		| 'responder'
		| 'import'
		| 'place_name'
		| 'address'
		| 'boundary_line'
		| 'boundary_marker'
		| 'inspection_campaign'
		| 'user';
	subjectId: string | number;
	districtCode?: string | null;
	detail?: Record<string, unknown>;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'subjectId'>> {
	id: number;
	at: Date;
	subjectId: string;
}

export async function recordAudit(sql: Sql, entry: AuditEntry): Promise<void> {
	await sql`
		insert into audit_log (actor, action, subject_type, subject_id, district_code, detail)
		values (${entry.actor}, ${entry.action}, ${entry.subjectType}, ${String(entry.subjectId)},
			${entry.districtCode ?? null}, ${sql.json((entry.detail ?? {}) as never)})`;
}

/**
 * Runs an action and writes its audit row in the same transaction: if either fails, neither
 * happened. `entryOf` builds the row from the action's result (null when there is nothing to
 * record, e.g. the action found nothing to change).
 */
export async function withAudit<T>(
	sql: Sql,
	action: (tx: Sql) => Promise<T>,
	entryOf: (result: T) => AuditEntry | null
): Promise<T> {
	const result = await sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const done = await action(tx);
		const entry = entryOf(done);
		if (entry) await recordAudit(tx, entry);
		return done;
	});
	return result as T;
}

/**
 * An attempt that was refused (conflict, invalid transition, forbidden, …): recorded after the
 * attempt's transaction rolled back, with the stable code and the reason the person was given.
 */
export async function recordRefusal(
	sql: Sql,
	entry: AuditEntry,
	refusal: { code: string; message: string }
): Promise<void> {
	await recordAudit(sql, {
		...entry,
		detail: { ...entry.detail, refused: refusal.code, reason: refusal.message }
	});
}

export interface AuditFilter {
	subjectType?: string;
	subjectId?: string;
	districtCode?: string;
	/** Part of the actor: an account name or a client address. */
	actor?: string;
	action?: string;
	/** Entries at or after / before these instants. */
	from?: Date;
	to?: Date;
	limit?: number;
}

/** The newest entries matching a search (every condition optional; the admin audit page). */
export async function recentAudit(sql: Sql, filter: AuditFilter = {}): Promise<AuditRecord[]> {
	const actorLike = filter.actor ? `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
	const rows = await sql<(AuditRecord & { id: string })[]>`
		select id, at, actor, action, subject_type, subject_id, district_code, detail from audit_log
		where (${filter.subjectType ?? null}::text is null or subject_type = ${filter.subjectType ?? null})
			and (${filter.subjectId ?? null}::text is null or subject_id = ${filter.subjectId ?? null})
			-- A district's operators see its entries and the ones about no district in particular.
			and (${filter.districtCode ?? null}::text is null or district_code is null
				or district_code = ${filter.districtCode ?? null})
			and (${actorLike}::text is null or actor ilike ${actorLike})
			and (${filter.action ?? null}::text is null or action = ${filter.action ?? null})
			and (${filter.from ?? null}::timestamptz is null or at >= ${filter.from ?? null})
			and (${filter.to ?? null}::timestamptz is null or at < ${filter.to ?? null})
		order by id desc limit ${filter.limit ?? 200}`;
	return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
