/**
 * SLA escalation on the real database: an incident not acknowledged within its severity's answer
 * time is escalated once, with a timeline entry, however many timer processes look.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { escalateOverdue } from '../../src/lib/server/alerts/escalation';
import { raiseAlert } from '../../src/lib/server/alerts/incidents';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { saveHousehold } from '../../src/lib/server/devices/registry';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
let sql: Sql;
let other: Sql;

async function incidentOf(
	name: string,
	kind: 'fall' | 'water_leak',
	severity: 'critical' | 'medium',
	ageS: number
) {
	const householdId = await saveHousehold(sql, {
		externalId: `T-HE-${name}-${run}`,
		districtCode: '350203',
		residentName: '升级测试',
		location: [118.11, 24.47],
		consent: true
	});
	const { incident } = await sql.begin((tx) =>
		raiseAlert(tx as unknown as Sql, {
			householdId,
			districtCode: '350203',
			communityCode: null,
			location: [118.11, 24.47],
			kind,
			severity,
			at: new Date(Date.now() - ageS * 1000),
			actor: 'test',
			detail: {}
		})
	);
	await sql`update incidents set opened_at = now() - make_interval(secs => ${ageS}) where id = ${incident.id}`;
	return incident.id;
}

beforeAll(async () => {
	sql = await prepareDatabase();
	other = createSql(inject('databaseUrl'), { max: 1 });
});

afterAll(async () => {
	await sql?.end();
	await other?.end();
});

describe('SLA escalation', () => {
	it('escalates a critical alert left unacknowledged past 60 s, once, and leaves a younger medium one', async () => {
		const late = await incidentOf('late', 'fall', 'critical', 120);
		const calm = await incidentOf('calm', 'water_leak', 'medium', 120);
		const [a, b] = await Promise.all([escalateOverdue(sql), escalateOverdue(other)]);
		const escalated = [...a, ...b].map((i) => i.id);
		expect(escalated.filter((id) => id === late)).toHaveLength(1);
		expect(escalated).not.toContain(calm);
		const rows = await sql`select id, state from incidents where id in (${late}, ${calm}) order by id`;
		expect(rows).toEqual([
			{ id: String(late), state: 'escalated' },
			{ id: String(calm), state: 'new' }
		]);
		const timeline =
			await sql`select actor, action, to_state from incident_events where incident_id = ${late} order by id`;
		expect(timeline.at(-1)).toEqual({ actor: 'sla-timer', action: 'escalate', toState: 'escalated' });
		const again = await escalateOverdue(sql);
		expect(again.map((i) => i.id)).not.toContain(late);
	});
});
