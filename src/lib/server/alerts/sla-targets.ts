/**
 * The SLA targets live in the database (sla_targets) so that every process's SQL computes the same
 * deadlines; the configuration (SLA_ACK_S, SLA_ON_SCENE_S) is written there at start.
 */
import type { Config } from '../config';
import type { Sql } from '../db/client';
import type { Severity } from './alert-kinds';

export async function applySlaTargets(sql: Sql, sla: Config['sla']): Promise<void> {
	const severities = Object.keys(sla.ackS) as (keyof typeof sla.ackS)[];
	await sql`
		insert into sla_targets (severity, ack_s, on_scene_s)
		select * from unnest(
			${sql.array(severities)}::text[],
			${sql.array(severities.map((s) => sla.ackS[s]))}::int[],
			${sql.array(severities.map((s) => sla.onSceneS[s]))}::int[])
		on conflict (severity) do update set ack_s = excluded.ack_s, on_scene_s = excluded.on_scene_s
		where (sla_targets.ack_s, sla_targets.on_scene_s) is distinct from (excluded.ack_s, excluded.on_scene_s)`;
}

/** The highest rung of the escalation ladder each severity climbs to. */
export async function topTiersBySeverity(sql: Sql): Promise<Partial<Record<Severity, number>>> {
	const rows = await sql<
		{ severity: Severity; topTier: number }[]
	>`select severity, top_tier from sla_targets`;
	return Object.fromEntries(rows.map((r) => [r.severity, r.topTier]));
}
