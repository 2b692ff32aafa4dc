/**
 * The answer-time KPI on the real database: a critical alert still waiting past the 60 s target
 * counts against the share and is listed as an exception with no answer time, not as answered.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { answerTimesToday } from '../../src/lib/server/alerts/answer-times';
import { actOnIncident } from '../../src/lib/server/alerts/incidents';
import type { Sql } from '../../src/lib/server/db/client';
import { raiseTestAlert, saveTestHousehold, testAlert } from '../support/alerts';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
let sql: Sql;

beforeAll(async () => {
	sql = await prepareDatabase();
});

afterAll(async () => {
	await sql?.end();
});

/** A critical fall that became critical `ageS` seconds ago. */
async function criticalFall(name: string, ageS: number) {
	const householdId = await saveTestHousehold(sql, `T-AT-${name}-${run}`);
	const { incident } = await raiseTestAlert(sql, testAlert(householdId, 'fall', 'critical'));
	await sql`
		update incidents set opened_at = opened_at - make_interval(secs => ${ageS}),
			critical_since = critical_since - make_interval(secs => ${ageS})
		where id = ${incident.id}`;
	return incident.id;
}

it('counts a critical alert waiting past 60 s as missed, with no answer time, until someone answers it', async () => {
	const before = await answerTimesToday(sql, '350203');
	const waiting = await criticalFall('waiting', 90);

	const during = await answerTimesToday(sql, '350203');
	expect(during.criticalAlerts - before.criticalAlerts).toBe(1);
	expect(during.decided60s - before.decided60s).toBe(1);
	expect(during.within60s - before.within60s).toBe(0);
	expect(during.within180s - before.within180s).toBe(0);
	expect(during.exceptions.find((e) => e.incidentId === waiting)).toMatchObject({ answerSeconds: null });

	await actOnIncident(sql, { incidentId: waiting, action: 'acknowledge', actor: 'user:late' });
	const after = await answerTimesToday(sql, '350203');
	expect(after.within60s - before.within60s).toBe(0);
	expect(after.within180s - before.within180s).toBe(1);
	const late = after.exceptions.find((e) => e.incidentId === waiting);
	expect(late?.answerSeconds).toBeGreaterThanOrEqual(90);
});
