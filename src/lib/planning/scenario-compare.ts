/**
 * Two saved scenarios side by side: the district line first, then every street and community whose
 * covered elderly differ. Pure; the compare API and page use it.
 */
import type {
	CoverageTableRow,
	SavedScenario,
	ScenarioComparison,
	ScenarioDifference,
	ScenarioSummary
} from './report';

export function scenarioSummary(scenario: SavedScenario): ScenarioSummary {
	const { district } = scenario.results;
	return {
		id: scenario.id,
		name: scenario.name,
		createdAt: scenario.createdAt,
		addedCount: scenario.added.length,
		removedCount: scenario.removedFacilityIds.length,
		share: district.share,
		covered: covered(district),
		elderly: district.elderly
	};
}

const covered = (row: CoverageTableRow) => row.within[row.within.length - 1] ?? 0;

export function compareScenarios(a: SavedScenario, b: SavedScenario): ScenarioComparison {
	const difference = (rowA: CoverageTableRow, rowB: CoverageTableRow | undefined): ScenarioDifference => ({
		level: rowA.level,
		code: rowA.code,
		name: rowA.name,
		elderly: rowA.elderly,
		coveredA: covered(rowA),
		coveredB: rowB ? covered(rowB) : 0,
		shareA: rowA.share,
		shareB: rowB?.share ?? null
	});
	const regional = (rowsA: CoverageTableRow[], rowsB: CoverageTableRow[]) => {
		const byCode = new Map(rowsB.map((r) => [r.code, r]));
		return rowsA.map((r) => difference(r, byCode.get(r.code))).filter((d) => d.coveredA !== d.coveredB);
	};
	return {
		a: scenarioSummary(a),
		b: scenarioSummary(b),
		differences: [
			difference(a.results.district, b.results.district),
			...regional(a.results.streets, b.results.streets),
			...regional(a.results.communities, b.results.communities)
		]
	};
}
