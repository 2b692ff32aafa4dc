/**
 * The plan's indicators and projects on the run's database with the shipped Siming data: the
 * facility and bed indicators follow facilities as they are added, opened and closed; figures staff
 * enter need a source; a project moves one stage at a time and, once open, is a counted facility;
 * "what if it opens" is a saved planning scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInDistrict, type IndicatorState } from '../../src/lib/dashboard/plan-status';
import type { Sql } from '../../src/lib/server/db/client';
import { facilitiesOfDistrict } from '../../src/lib/server/facilities/queries';
import { runImport } from '../../src/lib/server/imports/run-import';
import { addIndicatorEntry, listIndicators } from '../../src/lib/server/plan-monitoring/indicators';
import { PlanMonitoringError } from '../../src/lib/server/plan-monitoring/plan-error';
import { advanceProject, listProjects, projectScenario } from '../../src/lib/server/plan-monitoring/projects';
import { seedPlan } from '../../src/lib/server/plan-monitoring/seed';
import { deleteScenario } from '../../src/lib/server/planning/scenarios';
import { prepareDatabase } from '../support/database';

const DISTRICT = '350203';
const RUN = `plan-test-${Date.now().toString(36)}`;
const ACTOR = '测试员 (test)';
let sql: Sql;
let today: string;

beforeAll(async () => {
	sql = await prepareDatabase();
	await seedPlan(sql, DISTRICT);
	today = todayInDistrict();
});

afterAll(async () => {
	await sql`delete from plan_projects where key like ${`${RUN}%`}`;
	await sql`delete from facilities where external_id like ${`${RUN}%`}`;
	await sql`delete from import_runs where file_name = ${`${RUN}.csv`}`;
	await sql?.end();
});

async function indicator(key: string, asOf = today): Promise<IndicatorState> {
	const found = (await listIndicators(sql, DISTRICT, asOf)).find((i) => i.key === key);
	if (!found) throw new Error(`no indicator ${key}`);
	return found;
}

async function addFacility(suffix: string, status: string, beds: number, nursingBeds: number) {
	const [{ id }]: { id: string }[] = await sql`
		insert into facilities (external_id, name, kind, status, beds, nursing_beds, opened_on, region_code, geom,
			location_source)
		values (${`${RUN}-${suffix}`}, ${`测试养老院 ${suffix}`}, 'institution', ${status}, ${beds}, ${nursingBeds},
			${status === 'open' ? today : null}, '350203007013', st_setsrid(st_makepoint(118.1, 24.47), 4326), 'test')
		returning id`;
	return Number(id);
}

async function addProject(facilityId: number, suffix: string): Promise<number> {
	const [{ id }]: { id: string }[] = await sql`
		insert into plan_projects (district_code, key, position, name, description, beds_min, budget_yuan,
			facility_id, stage, plan_ref)
		values (${DISTRICT}, ${`${RUN}-${suffix}`}, 99, '测试项目', 'test', 40, 1000000, ${facilityId}, 'approved', 'test')
		returning id`;
	return Number(id);
}

describe("the plan's indicators", () => {
	it("seeds Siming's plan: the eight Table 1 indicators and the 15-minute circle, with the four named projects", async () => {
		const all = await listIndicators(sql, DISTRICT, today);
		expect(all.map((i) => i.key)).toEqual([
			'allowance_share',
			'minor_workstation_coverage',
			'nursing_bed_share',
			'new_beds',
			'facility_count',
			'social_organisations',
			'cross_province_marriage',
			'zero_trip_share',
			'circle_communities'
		]);
		const nursing = all.find((i) => i.key === 'nursing_bed_share')!;
		expect([nursing.kind, nursing.baseline, nursing.target, nursing.unit]).toEqual([
			'binding',
			60,
			70,
			'percent'
		]);
		const facilities = all.find((i) => i.key === 'facility_count')!;
		expect([facilities.baseline, facilities.target]).toEqual([124, 130]);
		// Seeding again writes nothing: entries and stages recorded since are kept.
		expect(await seedPlan(sql, DISTRICT)).toEqual({ indicators: 0, projects: 0 });
		const projects = await listProjects(sql, DISTRICT, today);
		expect(projects.filter((p) => !p.key.startsWith(RUN)).map((p) => p.key)).toEqual([
			'kaiyuan_centre',
			'hubian_reservoir',
			'wanshou_wenping',
			'shentian_centre'
		]);
		expect(projects.every((p) => p.facility !== null)).toBe(true);
	});

	it('counts the facilities and beds open at the base date and gives a series up to the date asked', async () => {
		const count = await indicator('facility_count', '2023-06-30');
		expect(count.series.map((p) => p.on)).toEqual(['2020-12-31', '2021-12-31', '2022-12-31', '2023-06-30']);
		expect(count.series[0].value).toBeGreaterThanOrEqual(124);
		const beds = await indicator('new_beds', '2023-06-30');
		// New beds are counted from the base date, so the series starts at nothing.
		expect(beds.series[0].value).toBe(0);
		expect(count.expected).toBeCloseTo(0.5, 1);
	});

	it('changes the facility-count and bed indicators when an import adds a facility and when it closes one', async () => {
		const countBefore = (await indicator('facility_count')).current!;
		const bedsBefore = (await indicator('new_beds')).current!;
		const importRow = (status: string) =>
			runImport(sql, {
				kind: 'facilities',
				fileName: `${RUN}.csv`,
				bytes: new TextEncoder().encode(
					'external_id,name,kind,status,beds,nursing_beds,opened_on,region_code,address,lon,lat\n' +
						`${RUN}-imported,测试护理院,institution,${status},30,27,${today},350203007013,,118.1,24.47\n`
				),
				crs: 'wgs84',
				districtCode: DISTRICT,
				dryRun: false
			});
		expect((await importRow('open')).accepted).toBe(1);
		expect((await indicator('facility_count')).current).toBe(countBefore + 1);
		expect((await indicator('new_beds')).current).toBe(bedsBefore + 30);
		// A day earlier the facility was not open yet.
		const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
		expect((await indicator('facility_count', yesterday)).current).toBe(countBefore);

		// Closed without a closing date: it stops counting from the day it was marked closed.
		expect((await importRow('closed')).accepted).toBe(1);
		expect((await indicator('facility_count')).current).toBe(countBefore);
		expect((await indicator('new_beds')).current).toBe(bedsBefore);
	});

	it('stops counting a facility from its closing date, and counts it before', async () => {
		const id = await addFacility('closing', 'open', 50, 40);
		const countOpen = (await indicator('facility_count')).current!;
		const bedsOpen = (await indicator('new_beds')).current!;
		await sql`update facilities set status = 'closed', closed_on = ${today}, updated_at = now() where id = ${id}`;
		expect((await indicator('facility_count')).current).toBe(countOpen - 1);
		expect((await indicator('new_beds')).current).toBe(bedsOpen - 50);
		const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
		await sql`update facilities set opened_on = ${yesterday}, closed_on = ${today} where id = ${id}`;
		expect((await indicator('facility_count', yesterday)).current).toBe(countOpen);
	});

	it('raises the nursing-bed share when a facility of nursing beds opens', async () => {
		const before = (await indicator('nursing_bed_share')).current!;
		const id = await addFacility('nursing', 'open', 200, 200);
		expect((await indicator('nursing_bed_share')).current).toBeGreaterThan(before);
		await sql`delete from facilities where id = ${id}`;
		expect((await indicator('nursing_bed_share')).current).toBeCloseTo(before, 9);
	});

	it('counts the communities with their 15-minute circle as a percentage', async () => {
		const circle = await indicator('circle_communities');
		expect(circle.current).toBeGreaterThan(0);
		expect(circle.current).toBeLessThanOrEqual(100);
		expect(circle.metric).toBe('circle_community_share');
	});

	it('rejects an entered figure without a source, with the reason, and stores nothing', async () => {
		const before = await indicator('social_organisations');
		const attempt = addIndicatorEntry(sql, {
			districtCode: DISTRICT,
			key: 'social_organisations',
			entry: { value: 360, asOf: today, source: '   ' },
			actor: ACTOR
		});
		await expect(attempt).rejects.toMatchObject({ code: 'SOURCE_REQUIRED' });
		await expect(attempt).rejects.toThrow(/source/);
		expect((await indicator('social_organisations')).entries).toHaveLength(before.entries.length);
	});

	it('takes an entered figure with its source and date as the current value, with progress and status', async () => {
		const value = 344 + 75 * 0.9;
		const saved = await addIndicatorEntry(sql, {
			districtCode: DISTRICT,
			key: 'social_organisations',
			entry: { value: String(Math.round(value)), asOf: today, source: '区民政局社会组织年报', note: 'test' },
			actor: ACTOR
		});
		expect(saved).toMatchObject({ source: '区民政局社会组织年报', enteredBy: ACTOR, asOf: today });
		const after = await indicator('social_organisations');
		expect(after.current).toBe(Math.round(value));
		expect(after.progress).toBeCloseTo((Math.round(value) - 344) / 75, 6);
		expect(after.entries[0].id).toBe(saved.id);
	});

	it('refuses entries for an indicator the platform counts, and figures that are not numbers or in range', async () => {
		const entry = { value: 125, asOf: today, source: 'x' };
		await expect(
			addIndicatorEntry(sql, { districtCode: DISTRICT, key: 'facility_count', entry, actor: ACTOR })
		).rejects.toMatchObject({ code: 'COMPUTED' });
		await expect(
			addIndicatorEntry(sql, {
				districtCode: DISTRICT,
				key: 'zero_trip_share',
				entry: { ...entry, value: 130 },
				actor: ACTOR
			})
		).rejects.toMatchObject({ code: 'BAD_VALUE' });
		await expect(
			addIndicatorEntry(sql, { districtCode: DISTRICT, key: 'no_such', entry, actor: ACTOR })
		).rejects.toBeInstanceOf(PlanMonitoringError);
	});
});

describe("the plan's projects", () => {
	it('opens a project one stage at a time: its facility appears on the map and its beds in the indicators', async () => {
		const facilityId = await addFacility('project', 'planned', 40, 30);
		const projectId = await addProject(facilityId, 'opened');
		const countBefore = (await indicator('facility_count')).current!;
		const bedsBefore = (await indicator('new_beds')).current!;
		const change = { districtCode: DISTRICT, projectId, note: null, actor: ACTOR, reachedOn: today };

		await expect(advanceProject(sql, { ...change, stage: 'open' })).rejects.toMatchObject({
			code: 'INVALID_STAGE'
		});
		const building = await advanceProject(sql, { ...change, stage: 'building' });
		expect(building.stage).toBe('building');
		expect(building.facility?.status).toBe('building');
		expect((await indicator('facility_count')).current).toBe(countBefore);

		const open = await advanceProject(sql, { ...change, stage: 'open' });
		expect(open.stage).toBe('open');
		expect(open.stages.map((s) => s.stage)).toEqual(['building', 'open']);
		expect(open.facility?.status).toBe('open');
		expect((await indicator('facility_count')).current).toBe(countBefore + 1);
		expect((await indicator('new_beds')).current).toBe(bedsBefore + 40);
		const map = await facilitiesOfDistrict(sql, DISTRICT);
		expect(map.features.find((f) => f.properties.id === facilityId)?.properties.status).toBe('open');
		await expect(advanceProject(sql, { ...change, stage: 'open' })).rejects.toMatchObject({
			code: 'INVALID_STAGE'
		});
	});

	it('refuses a stage dated before the previous one or in the future', async () => {
		const projectId = await addProject(await addFacility('dates', 'planned', 10, 0), 'dates');
		const change = { districtCode: DISTRICT, projectId, actor: ACTOR, stage: 'building' };
		await expect(advanceProject(sql, { ...change, reachedOn: '2999-01-01' })).rejects.toMatchObject({
			code: 'BAD_DATE'
		});
		await expect(advanceProject(sql, { ...change, reachedOn: '2021-02-30' })).rejects.toMatchObject({
			code: 'BAD_DATE'
		});
	});

	it("runs 'what if this project opens' as a saved planning scenario with the project's site added", async () => {
		const [kaiyuan] = (await listProjects(sql, DISTRICT, today)).filter((p) => p.key === 'kaiyuan_centre');
		const scenario = await projectScenario(sql, DISTRICT, kaiyuan.id, (name) => `若开业：${name}`);
		try {
			expect(scenario.name).toBe(`若开业：${kaiyuan.facility!.name}`);
			expect(scenario.added).toHaveLength(1);
			expect(scenario.added[0]).toMatchObject({ name: kaiyuan.facility!.name, source: 'planned' });
			expect(scenario.parameters.minutes).toBe(15);
			expect(scenario.results.district.elderly).toBeGreaterThan(0);
		} finally {
			await deleteScenario(sql, DISTRICT, scenario.id);
		}
	});
});
