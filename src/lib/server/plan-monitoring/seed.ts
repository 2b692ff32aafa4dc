/**
 * Loads a district's plan (geo/<folder>/plan.json: indicators and named projects) once the district
 * and its facilities are in the database. Runs only while the district has no indicators, so staff
 * entries and stages recorded later are never overwritten. Called at startup after the district seed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IndicatorMetric, IndicatorUnit, ProjectStage } from '../../dashboard/plan-status';
import { PROJECT_STAGES } from '../../dashboard/plan-status';
import type { Sql } from '../db/client';
import { findDistrictFolder, GEO_DIR } from '../regions/seed';

interface PlanFile {
	source: string;
	periodStart: string;
	periodEnd: string;
	indicators: {
		key: string;
		nameZh: string;
		nameEn: string;
		unit: IndicatorUnit;
		kind: 'binding' | 'expected';
		baseline: number | null;
		startValue: number;
		target: number;
		metric?: IndicatorMetric;
		planRef: string;
	}[];
	projects: {
		key: string;
		facilityExternalId: string;
		description: string;
		bedsMin: number | null;
		bedsMax: number | null;
		budgetYuan: number | null;
		/** The stage the plan itself puts the project at, reached at the start of the period. */
		stage: ProjectStage;
		planRef: string;
	}[];
}

/** Who recorded the stages a plan file states. */
export const PLAN_SEED_ACTOR = 'plan seed';

/** Seeds the plan of a district that has none yet; returns how many indicators and projects it wrote. */
export async function seedPlan(
	sql: Sql,
	districtCode: string,
	geoDir: string = GEO_DIR
): Promise<{ indicators: number; projects: number }> {
	const none = { indicators: 0, projects: 0 };
	const [district] = await sql`select 1 from regions where code = ${districtCode}`;
	const [present] = await sql`select 1 from plan_indicators where district_code = ${districtCode} limit 1`;
	if (!district || present) return none;
	const folder = await findDistrictFolder(districtCode, geoDir);
	if (!folder) return none;
	let plan: PlanFile;
	try {
		plan = JSON.parse(await readFile(path.join(folder, 'plan.json'), 'utf8')) as PlanFile;
	} catch {
		// A district folder without a plan file has no plan to monitor yet.
		return none;
	}
	await sql.begin(async (tx) => {
		for (const [position, i] of plan.indicators.entries())
			await tx`
				insert into plan_indicators (district_code, key, position, name_zh, name_en, unit, kind, baseline,
					start_value, target, period_start, period_end, metric, plan_ref)
				values (${districtCode}, ${i.key}, ${position + 1}, ${i.nameZh}, ${i.nameEn}, ${i.unit}, ${i.kind},
					${i.baseline}, ${i.startValue}, ${i.target}, ${plan.periodStart}, ${plan.periodEnd},
					${i.metric ?? null}, ${i.planRef})`;
		for (const [position, p] of plan.projects.entries()) {
			const [project]: { id: string }[] = await tx`
				insert into plan_projects (district_code, key, position, name, description, beds_min, beds_max,
					budget_yuan, facility_id, stage, plan_ref)
				select ${districtCode}, ${p.key}, ${position + 1}, coalesce(f.name, ${p.key}), ${p.description},
					${p.bedsMin}, ${p.bedsMax}, ${p.budgetYuan}, f.id, ${p.stage}, ${p.planRef}
				from (select 1) one left join facilities f on f.external_id = ${p.facilityExternalId}
				returning id`;
			// The stages up to the stated one, as reached when the plan began.
			for (const stage of PROJECT_STAGES.slice(1, PROJECT_STAGES.indexOf(p.stage) + 1))
				await tx`
					insert into plan_project_stages (project_id, stage, reached_on, note, entered_by)
					values (${project.id}, ${stage}, ${plan.periodStart}, ${plan.source}, ${PLAN_SEED_ACTOR})`;
		}
	});
	return { indicators: plan.indicators.length, projects: plan.projects.length };
}
