/**
 * SLA escalation along the territory's ladder (ESCALATION_TIERS): grid worker → community station →
 * street care centre → district duty desk → the emergency number. An incident whose running timer
 * (acknowledge, or a responder on scene; targets per severity in sla_targets) has run out climbs one
 * rung and gets a fresh acknowledge timer; on the last rung no timer runs, it stays on the
 * exceptions list until someone acts. Claimed with FOR UPDATE SKIP LOCKED, so with several timer
 * processes each overdue incident is escalated exactly once.
 */
import { ESCALATION_TIERS, type IncidentSummary } from '../../realtime/events';
import type { Sql } from '../db/client';
import { SUMMARY_COLUMNS, toSummary } from './incidents';

const LAST_RUNG = ESCALATION_TIERS.length - 1;

export async function escalateOverdue(sql: Sql): Promise<IncidentSummary[]> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const rows = await tx`
			with overdue as (
				select id as overdue_id, state as from_state, sla_kind as missed from incidents
				where sla_kind is not null and sla_due_at < now() and state not in ('resolved', 'false_alarm')
				order by sla_due_at
				limit 200
				for update skip locked
			)
			update incidents set state = 'escalated', updated_at = now(),
				escalation_level = least(escalation_level + 1, ${LAST_RUNG}::int),
				sla_kind = case when escalation_level + 1 >= ${LAST_RUNG}::int then null else 'ack' end,
				sla_due_at = case when escalation_level + 1 >= ${LAST_RUNG}::int then null
					else now() + make_interval(secs => (select ack_s from sla_targets t where t.severity = incidents.severity)) end
			from overdue where incidents.id = overdue.overdue_id
			returning ${tx.unsafe(SUMMARY_COLUMNS)}, overdue.from_state, overdue.missed`;
		for (const row of rows) {
			await tx`
				insert into incident_events (incident_id, actor, action, from_state, to_state, detail)
				values (${row.id}, 'sla-timer', 'escalate', ${row.fromState}, 'escalated',
					${tx.json({ missed: row.missed, tier: ESCALATION_TIERS[row.escalationLevel] })})`;
		}
		return rows.map(toSummary);
	});
}
