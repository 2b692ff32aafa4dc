/**
 * Saved planning scenarios: the definition a planner chose and the coverage it produced, counted
 * when saved so a scenario keeps its figures even after the facilities or the network change.
 */
import { coverageReport, type PlanningInputs } from '../../planning/coverage-report';
import type { SavedScenario, ScenarioDefinition, ScenarioSummary } from '../../planning/report';
import { scenarioSummary } from '../../planning/scenario-compare';
import type { Sql } from '../db/client';

type ScenarioRow = Omit<SavedScenario, 'id' | 'createdAt'> & { id: string; createdAt: Date };

export async function saveScenario(
	sql: Sql,
	inputs: PlanningInputs,
	definition: ScenarioDefinition
): Promise<SavedScenario> {
	const report = coverageReport(inputs, definition.parameters, definition);
	const results = {
		district: report.district,
		streets: report.streets,
		communities: report.communities,
		answer: report.answer
	};
	const [{ id }]: { id: string }[] = await sql`
		insert into planning_scenarios (district_code, name, parameters, added, removed_facility_ids, siting, results)
		values (${inputs.districtCode}, ${definition.name}, ${sql.json(definition.parameters as never)},
			${sql.json(definition.added as never)}, ${sql.json(definition.removedFacilityIds)},
			${definition.siting ? sql.json(definition.siting as never) : null}, ${sql.json(results as never)})
		returning id`;
	return (await findScenario(sql, inputs.districtCode, Number(id)))!;
}

export async function findScenario(
	sql: Sql,
	districtCode: string,
	id: number
): Promise<SavedScenario | null> {
	const [row]: ScenarioRow[] = await sql`
		select id, district_code, name, parameters, added, removed_facility_ids, siting, results, created_at
		from planning_scenarios where district_code = ${districtCode} and id = ${id}`;
	return row ? { ...row, id: Number(row.id), createdAt: row.createdAt.toISOString() } : null;
}

export async function listScenarios(sql: Sql, districtCode: string): Promise<ScenarioSummary[]> {
	const rows: ScenarioRow[] = await sql`
		select id, district_code, name, parameters, added, removed_facility_ids, siting, results, created_at
		from planning_scenarios where district_code = ${districtCode} order by created_at desc, id desc limit 200`;
	return rows.map((row) =>
		scenarioSummary({ ...row, id: Number(row.id), createdAt: row.createdAt.toISOString() })
	);
}

export async function deleteScenario(sql: Sql, districtCode: string, id: number): Promise<boolean> {
	const deleted =
		await sql`delete from planning_scenarios where district_code = ${districtCode} and id = ${id}`;
	return deleted.count > 0;
}
