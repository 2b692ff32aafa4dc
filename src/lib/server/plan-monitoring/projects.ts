/**
 * The plan's named projects and their stages. A project moves one stage at a time
 * (proposed → approved → building → open) and carries its facility along: building makes the
 * facility "building", open makes it open from that date, so the map shows it and the indicators
 * count its beds. "What if it opens" is a planning scenario with the project's site added.
 */
import type { SavedScenario } from '../../planning/report';
import {
	isIsoDate,
	nextStage,
	stageOn,
	todayInDistrict,
	type ProjectStage,
	type ProjectStageRecord,
	type ProjectState
} from '../../dashboard/plan-status';
import type { Sql } from '../db/client';
import { loadPlanningInputs } from '../planning/planning-inputs';
import { saveScenario } from '../planning/scenarios';
import { CIRCLE_PARAMETERS } from './facility-metrics';
import { PlanMonitoringError } from './plan-error';

type ProjectRow = Omit<ProjectState, 'stage' | 'stages' | 'latestStage'> & { stage: ProjectStage };

/** The facility status a project's stage gives its facility. */
const FACILITY_STATUS: Record<ProjectStage, 'planned' | 'building' | 'open'> = {
	proposed: 'planned',
	approved: 'planned',
	building: 'building',
	open: 'open'
};

async function projectRows(sql: Sql, districtCode: string, id?: number): Promise<ProjectRow[]> {
	return sql<ProjectRow[]>`
		select p.id::int, p.key, p.position, coalesce(f.name, p.name) as name, p.description, p.beds_min,
			p.beds_max, p.budget_yuan::float8, p.plan_ref, p.stage,
			case when f.id is null then null else json_build_object(
				'id', f.id, 'name', f.name, 'kind', f.kind, 'status', f.status, 'beds', f.beds,
				'nursingBeds', f.nursing_beds, 'lon', st_x(f.geom), 'lat', st_y(f.geom)) end as facility
		from plan_projects p left join facilities f on f.id = p.facility_id
		where p.district_code = ${districtCode} ${id === undefined ? sql`` : sql`and p.id = ${id}`}
		order by p.position, p.id`;
}

async function stageRecords(sql: Sql, projectIds: number[]) {
	if (projectIds.length === 0) return [];
	return sql<(ProjectStageRecord & { projectId: number })[]>`
		select project_id::int, stage, reached_on::text, note, entered_by,
			to_char(entered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as entered_at
		from plan_project_stages where project_id in ${sql(projectIds)}
		order by reached_on, id`;
}

/** The district's projects with the stage each had reached on `asOf`. */
export async function listProjects(sql: Sql, districtCode: string, asOf: string): Promise<ProjectState[]> {
	const rows = await projectRows(sql, districtCode);
	const records = await stageRecords(
		sql,
		rows.map((r) => r.id)
	);
	return rows.map(({ stage: latestStage, ...row }) => {
		const stages = records.filter((r) => r.projectId === row.id).map(({ projectId: _, ...r }) => r);
		return { ...row, latestStage, stage: stageOn(stages, asOf), stages };
	});
}

/** The projects a "what if it opens" scenario can be run for: with a facility, not open yet. */
export async function projectsNotOpen(
	sql: Sql,
	districtCode: string
): Promise<Pick<ProjectState, 'id' | 'name' | 'latestStage'>[]> {
	const rows = await projectRows(sql, districtCode);
	return rows
		.filter((r) => r.facility && r.stage !== 'open' && r.facility.status !== 'open')
		.map((r) => ({ id: r.id, name: r.name, latestStage: r.stage }));
}

export interface StageChange {
	districtCode: string;
	projectId: number;
	stage: unknown;
	reachedOn: unknown;
	note?: unknown;
	actor: string;
}

/** Moves a project to its next stage on a date, and its facility with it; returns the project. */
export async function advanceProject(sql: Sql, change: StageChange): Promise<ProjectState> {
	const [row] = await projectRows(sql, change.districtCode, change.projectId);
	if (!row)
		throw new PlanMonitoringError(
			'NOT_FOUND',
			`project ${change.projectId} is not in the plan of district ${change.districtCode}`
		);
	const next = nextStage(row.stage);
	if (!next || change.stage !== next)
		throw new PlanMonitoringError(
			'INVALID_STAGE',
			next
				? `stage: a project moves one stage at a time; this one is ${row.stage}, next is ${next}`
				: 'stage: the project is open already'
		);
	const reachedOn = typeof change.reachedOn === 'string' ? change.reachedOn.trim() : '';
	if (!isIsoDate(reachedOn))
		throw new PlanMonitoringError('BAD_DATE', 'reachedOn: the date the stage was reached, as YYYY-MM-DD');
	if (reachedOn > todayInDistrict())
		throw new PlanMonitoringError('BAD_DATE', `reachedOn: ${reachedOn} is in the future`);
	const records = await stageRecords(sql, [row.id]);
	const previous = records.at(-1);
	if (previous && reachedOn < previous.reachedOn)
		throw new PlanMonitoringError(
			'BAD_DATE',
			`reachedOn: ${reachedOn} is before the ${previous.stage} stage (${previous.reachedOn})`
		);
	if (!row.facility && next !== 'approved')
		throw new PlanMonitoringError(
			'NO_FACILITY',
			'the project has no facility (place, kind, beds) to build or open; link one first'
		);
	const note =
		typeof change.note === 'string' && change.note.trim() ? change.note.trim().slice(0, 1000) : null;
	await sql.begin(async (tx) => {
		await tx`
			insert into plan_project_stages (project_id, stage, reached_on, note, entered_by)
			values (${row.id}, ${next}, ${reachedOn}, ${note}, ${change.actor})`;
		await tx`update plan_projects set stage = ${next} where id = ${row.id}`;
		if (row.facility)
			await tx`
				update facilities set status = ${FACILITY_STATUS[next]},
					opened_on = ${next === 'open' ? reachedOn : null}, closed_on = null, updated_at = now()
				where id = ${row.facility.id}`;
	});
	const [project] = (await listProjects(sql, change.districtCode, todayInDistrict())).filter(
		(p) => p.id === row.id
	);
	return project;
}

/**
 * Saves the planning scenario "the district's open facilities plus this project" for the plan's
 * 15-minute circle. Refused once the project is open, since its facility is then among the open
 * ones already.
 */
export async function projectScenario(
	sql: Sql,
	districtCode: string,
	projectId: number,
	scenarioName: (projectName: string) => string
): Promise<SavedScenario> {
	const [row] = await projectRows(sql, districtCode, projectId);
	if (!row)
		throw new PlanMonitoringError('NOT_FOUND', `project ${projectId} is not in district ${districtCode}`);
	if (!row.facility)
		throw new PlanMonitoringError('NO_FACILITY', 'the project has no facility, so no place to add');
	if (row.stage === 'open' || row.facility.status === 'open')
		throw new PlanMonitoringError('ALREADY_OPEN', 'the project is open: the planning page counts it already');
	const { facility } = row;
	return saveScenario(sql, await loadPlanningInputs(sql, districtCode), {
		name: scenarioName(facility.name),
		parameters: CIRCLE_PARAMETERS,
		added: [
			{
				name: facility.name,
				kind: facility.kind,
				lon: facility.lon,
				lat: facility.lat,
				capacity: facility.beds || null,
				source: 'planned'
			}
		],
		removedFacilityIds: [],
		siting: null
	});
}
