/**
 * SLA escalation along the territory's ladder (ESCALATION_TIERS): grid worker → community station →
 * street care centre → district duty desk → the emergency number. An incident whose running timer
 * (acknowledge, or a responder on scene; targets per severity in sla_targets) has run out climbs one
 * rung, and the rung has the severity's acknowledge target to act. Nobody working on it: it becomes
 * escalated, to be acknowledged there. A responder offered it or on the way: the state stays, so
 * their progress is kept, and the on-scene clock runs on against the next rung. Each severity climbs
 * only so high (sla_targets.top_tier: a low battery never reaches the emergency number); on its top
 * rung no timer runs and it stays on the exceptions list until someone acts. Each escalation's
 * timeline entry names the unit called (escalation-ladder.ts). Claimed with FOR UPDATE SKIP LOCKED,
 * so with several timer processes each overdue incident is escalated exactly once.
 */
import { ESCALATION_TIERS, type IncidentSummary } from '../../realtime/events';
import type { Sql } from '../db/client';
import { unitsCalled } from './escalation-ladder';
import { KEEPS_STATE_ON_ESCALATION } from './incident-state';
import { SUMMARY_COLUMNS, toSummary } from './incidents';

export async function escalateOverdue(sql: Sql): Promise<IncidentSummary[]> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const rows = await tx`
			with overdue as (
				select i.id as overdue_id, i.state as from_state, i.sla_kind as missed, t.ack_s,
					least(i.escalation_level + 1, t.top_tier) as rung, t.top_tier,
					(i.state = any(${tx.array([...KEEPS_STATE_ON_ESCALATION])}::text[]) and exists (
						select 1 from incident_assignments a
						where a.incident_id = i.id and a.state in ('offered', 'accepted'))) as keeps_state
				from incidents i join sla_targets t on t.severity = i.severity
				where i.sla_kind is not null and i.sla_due_at < now() and i.state not in ('resolved', 'false_alarm')
				order by i.sla_due_at
				limit 200
				for update of i skip locked
			)
			update incidents set updated_at = now(),
				state = case when overdue.keeps_state then state else 'escalated' end,
				escalation_level = greatest(escalation_level, overdue.rung),
				sla_kind = case when overdue.rung >= overdue.top_tier then null
					when overdue.keeps_state then sla_kind else 'ack' end,
				sla_due_at = case when overdue.rung >= overdue.top_tier then null
					else now() + make_interval(secs => overdue.ack_s) end
			from overdue where incidents.id = overdue.overdue_id
			returning ${tx.unsafe(SUMMARY_COLUMNS)}, overdue.from_state, overdue.missed`;
		const incidents = rows.map(toSummary);
		const called = await unitsCalled(tx, incidents);
		for (const [i, row] of rows.entries()) {
			await tx`
				insert into incident_events (incident_id, actor, action, from_state, to_state, detail)
				values (${row.id}, 'sla-timer', 'escalate', ${row.fromState}, ${incidents[i].state},
					${tx.json({ missed: row.missed, tier: ESCALATION_TIERS[row.escalationLevel], called: called[i] } as never)})`;
		}
		return incidents;
	});
}
