/**
 * SLA escalation: an incident nobody acknowledged within its severity's answer time (60 s for a
 * critical one) is escalated. Claimed with FOR UPDATE SKIP LOCKED, so with several timer processes
 * each overdue incident is escalated exactly once.
 */
import { ACK_TARGET_S } from '../../alerts/sla';
import type { IncidentSummary } from '../../realtime/events';
import type { Sql } from '../db/client';
import { toSummary } from './incidents';

export async function escalateOverdue(sql: Sql): Promise<IncidentSummary[]> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const targets = tx.json(ACK_TARGET_S as never);
		const rows = await tx`
			with overdue as (
				select id from incidents
				where state = 'new'
					and opened_at < now() - make_interval(secs => (${targets}::jsonb ->> severity)::float8)
				order by opened_at
				limit 200
				for update skip locked
			)
			update incidents i set state = 'escalated', updated_at = now()
			from overdue where i.id = overdue.id
			returning i.*, st_x(i.location) as lon, st_y(i.location) as lat`;
		for (const row of rows) {
			await tx`
				insert into incident_events (incident_id, actor, action, from_state, to_state, detail)
				values (${row.id}, 'sla-timer', 'escalate', 'new', 'escalated',
					${tx.json({ ackTargetS: ACK_TARGET_S[row.severity as keyof typeof ACK_TARGET_S] })})`;
		}
		return rows.map(toSummary);
	});
}
