/**
 * SLA escalation on the real database: an incident not acknowledged within its severity's answer
 * time is escalated once, with a timeline entry naming the unit called, however many timer
 * processes look; a responder on the way keeps their progress; each severity climbs only so high.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { escalateOverdue } from '../../src/lib/server/alerts/escalation';
import { actOnIncident, raiseAlert } from '../../src/lib/server/alerts/incidents';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { saveHousehold } from '../../src/lib/server/devices/registry';
import { saveResponder } from '../../src/lib/server/dispatch/responders';
import { prepareDatabase } from '../support/database';

const run = Date.now().toString(36);
let sql: Sql;
let other: Sql;
let communityCode: string;
/** A home inside that community. */
let home: [number, number];

/** Runs every open timer of the incident out. */
const overdue = (id: number) =>
	sql`update incidents set sla_due_at = now() - interval '1 s' where id = ${id} and sla_kind is not null`;

async function incidentOf(
	name: string,
	kind: 'fall' | 'water_leak' | 'low_battery',
	severity: 'critical' | 'medium' | 'low',
	ageS: number,
	deviceClockAgeS = ageS
) {
	const householdId = await saveHousehold(sql, {
		externalId: `T-HE-${name}-${run}`,
		districtCode: '350203',
		residentName: '升级测试',
		location: home,
		consent: true
	});
	const { incident } = await sql.begin((tx) =>
		raiseAlert(tx as unknown as Sql, {
			householdId,
			districtCode: '350203',
			communityCode,
			location: home,
			kind,
			severity,
			at: new Date(Date.now() - deviceClockAgeS * 1000),
			actor: 'test',
			detail: {}
		})
	);
	await sql`
		update incidents set opened_at = opened_at - make_interval(secs => ${ageS}),
			sla_due_at = sla_due_at - make_interval(secs => ${ageS})
		where id = ${incident.id}`;
	return incident.id;
}

beforeAll(async () => {
	sql = await prepareDatabase();
	other = createSql(inject('databaseUrl'), { max: 1 });
	const [community] = await sql<{ code: string; lon: number; lat: number }[]>`
		select r.code, st_x(p) as lon, st_y(p) as lat
		from regions r join facilities f on f.region_code = r.code and f.kind = 'community_station',
			lateral st_pointonsurface(r.geom) p
		where r.level = 'community' order by r.code limit 1`;
	communityCode = community.code;
	home = [community.lon, community.lat];
	await saveResponder(sql, {
		externalId: `T-HE-station-${run}`,
		districtCode: '350203',
		name: '站点值班',
		phone: '0592-5550101',
		role: 'station_staff',
		communityCode
	});
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
		const timeline = await sql`
			select actor, action, to_state, detail from incident_events where incident_id = ${late} order by id`;
		const [station] = await sql`
			select name from facilities where kind = 'community_station' and region_code = ${communityCode}`;
		expect(timeline.at(-1)).toEqual({
			actor: 'sla-timer',
			action: 'escalate',
			toState: 'escalated',
			detail: {
				missed: 'ack',
				tier: 'community_station',
				called: { tier: 'community_station', name: station.name, phone: '0592-5550101' }
			}
		});
		const again = await escalateOverdue(sql);
		expect(again.map((i) => i.id)).not.toContain(late);
	});

	it('runs the clock from when the platform recorded the alert, not from the device clock', async () => {
		// A fall stamped a day ago by a device whose clock is wrong arrived just now.
		const stale = await incidentOf('stale-clock', 'fall', 'critical', 0, 86_400);
		expect((await escalateOverdue(sql)).map((i) => i.id)).not.toContain(stale);
		const [row] =
			await sql`select sla_due_at > now() + interval '50 s' as fresh from incidents where id = ${stale}`;
		expect(row.fresh).toBe(true);
	});

	it('keeps a responder on the way en route when the on-scene timer runs out, and lets them arrive', async () => {
		const id = await incidentOf('en-route', 'fall', 'critical', 0);
		const responderId = await saveResponder(sql, {
			externalId: `T-HE-walker-${run}`,
			districtCode: '350203',
			name: '在途网格员',
			role: 'grid_worker',
			communityCode
		});
		await actOnIncident(sql, { incidentId: id, action: 'assign', actor: 'test' });
		await sql`
			insert into incident_assignments (incident_id, responder_id, assigned_by, accept_by, state, answered_at)
			values (${id}, ${responderId}, 'test', now(), 'accepted', now())`;
		await actOnIncident(sql, { incidentId: id, action: 'depart', actor: 'test' });
		await overdue(id);
		const [escalated] = (await escalateOverdue(sql)).filter((i) => i.id === id);
		expect(escalated).toMatchObject({ state: 'en_route', escalationLevel: 1, sla: { kind: 'on_scene' } });
		const arrived = await actOnIncident(sql, { incidentId: id, action: 'arrive', actor: 'test' });
		expect(arrived.incident.state).toBe('on_scene');
	});

	it('climbs a low-severity incident no higher than its top rung, then stops the clock', async () => {
		const id = await incidentOf('battery', 'low_battery', 'low', 0);
		const levels: number[] = [];
		for (let round = 0; round < 3; round++) {
			await overdue(id);
			const [incident] = (await escalateOverdue(sql)).filter((i) => i.id === id);
			if (incident) levels.push(incident.escalationLevel);
		}
		// Low: the grid worker, then the community station, and no further (sla_targets.top_tier).
		expect(levels).toEqual([1]);
		const [row] = await sql`select escalation_level, sla_kind from incidents where id = ${id}`;
		expect(row).toEqual({ escalationLevel: 1, slaKind: null });
	});
});
