/**
 * The alarm centre's answer-time KPI for today (the Asia/Shanghai day): the share of critical alerts
 * a dispatcher answered within 60 s and within 180 s (targets 97.5 % and 99 %), and the exceptions.
 * Counted from when the incident became critical: a fall joining an incident answered earlier for a
 * low battery is a new critical alert to answer (an incident already being worked on counts as 0 s).
 */
import type { AnswerTimeKpi } from '../../realtime/events';
import type { Sql } from '../db/client';

export async function answerTimesToday(
	sql: Sql,
	districtCode: string,
	now = new Date()
): Promise<AnswerTimeKpi> {
	const today = sql`(date_trunc('day', ${now}::timestamptz at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')`;
	const rows = await sql<{ id: string; openedAt: Date; answerSeconds: number | null; ageSeconds: number }[]>`
		select id, critical_since as opened_at,
			-- greatest() skips NULLs: without the case an unanswered alert would count as answered in 0 s.
			case when acknowledged_at is not null
				then greatest(extract(epoch from acknowledged_at - critical_since), 0) end::float8 as answer_seconds,
			extract(epoch from ${now}::timestamptz - critical_since)::float8 as age_seconds
		from incidents
		where district_code = ${districtCode} and critical_since >= ${today}
		order by critical_since desc`;
	// An alert still waiting but younger than the target can still make it: it is not counted yet.
	const decided = (seconds: number) => rows.filter((r) => r.answerSeconds !== null || r.ageSeconds > seconds);
	const answeredWithin = (seconds: number) =>
		rows.filter((r) => r.answerSeconds !== null && r.answerSeconds <= seconds).length;
	const share = (seconds: number) => {
		const count = decided(seconds).length;
		return count ? answeredWithin(seconds) / count : null;
	};
	const [{ day }] = await sql<{ day: string }[]>`
		select to_char(${now}::timestamptz at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day`;
	return {
		day,
		criticalAlerts: rows.length,
		within60s: answeredWithin(60),
		within180s: answeredWithin(180),
		decided60s: decided(60).length,
		decided180s: decided(180).length,
		share60s: share(60),
		share180s: share(180),
		exceptions: decided(60)
			.filter((r) => r.answerSeconds === null || r.answerSeconds > 60)
			.map((r) => ({
				incidentId: Number(r.id),
				openedAt: new Date(r.openedAt).toISOString(),
				answerSeconds: r.answerSeconds === null ? null : Math.round(r.answerSeconds)
			}))
	};
}
