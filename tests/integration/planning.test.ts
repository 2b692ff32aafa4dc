/**
 * Planning on the run's database with the shipped Siming data: coverage of every elderly resident by
 * walking time on the district's network, tables that add up by street and community, siting among
 * the plan's named sites, and scenarios saved, compared and exported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageReport, type PlanningInputs } from '../../src/lib/planning/coverage-report';
import type { CoverageParameters, CoverageTableRow } from '../../src/lib/planning/report';
import { compareScenarios } from '../../src/lib/planning/scenario-compare';
import { scenarioCsv } from '../../src/lib/planning/scenario-export';
import { SitingInputError } from '../../src/lib/planning/siting/problem';
import type { Sql } from '../../src/lib/server/db/client';
import { loadPlanningInputs } from '../../src/lib/server/planning/planning-inputs';
import {
	deleteScenario,
	findScenario,
	listScenarios,
	saveScenario
} from '../../src/lib/server/planning/scenarios';
import { sitingForDistrict } from '../../src/lib/server/planning/siting';
import { prepareDatabase } from '../support/database';

const DISTRICT = '350203';
const PARAMETERS: CoverageParameters = { minutes: 15, speedMps: 1, kind: 'any', bandsMinutes: [5, 10, 15] };
let sql: Sql;
let inputs: PlanningInputs;

beforeAll(async () => {
	sql = await prepareDatabase();
	inputs = await loadPlanningInputs(sql, DISTRICT);
});

afterAll(async () => {
	await sql?.end();
});

const covered = (row: CoverageTableRow) => row.within[row.within.length - 1];
const sum = (rows: CoverageTableRow[], pick: (r: CoverageTableRow) => number) =>
	rows.reduce((total, r) => total + pick(r), 0);

describe('coverage of the district by walking time', () => {
	it('reads the district: its network, all its elderly and its open facilities', () => {
		expect(inputs.graph?.nodeCount).toBeGreaterThan(1000);
		const elderly = inputs.demand.reduce((total, d) => total + d.weight, 0);
		expect(elderly).toBeGreaterThanOrEqual(102_609);
		expect(inputs.sites.length).toBeGreaterThanOrEqual(124);
		// Every cell lies in a community and so in a street.
		expect(inputs.demand.every((d) => d.communityCode && d.streetCode)).toBe(true);
	});

	it('adds up: covered plus uncovered is every elderly resident, per street, per community and for the district', () => {
		const report = coverageReport(inputs, PARAMETERS);
		const { district, streets, communities } = report;
		expect(district.elderly).toBe(inputs.demand.reduce((total, d) => total + d.weight, 0));
		for (const row of [district, ...streets, ...communities]) {
			expect(covered(row) + row.uncovered).toBeCloseTo(row.elderly, 6);
			// Bands are cumulative: within 5 ≤ within 10 ≤ within 15.
			expect(row.within[0]).toBeLessThanOrEqual(row.within[1]);
			expect(row.within[1]).toBeLessThanOrEqual(row.within[2]);
		}
		expect(streets).toHaveLength(10);
		expect(communities).toHaveLength(99);
		expect(sum(streets, (r) => r.elderly)).toBeCloseTo(district.elderly, 6);
		expect(sum(streets, covered)).toBeCloseTo(covered(district), 6);
		expect(sum(communities, (r) => r.uncovered)).toBeCloseTo(district.uncovered, 6);
		// The gap map holds exactly the uncovered elderly.
		expect(report.gaps.reduce((total, g) => total + g.elderly, 0)).toBeCloseTo(district.uncovered, 6);
	});

	it('answers whether every community has its 15-minute circle, naming the gaps', () => {
		const { answer, communities } = coverageReport(inputs, PARAMETERS);
		expect(answer.communities).toBe(99);
		expect(answer.fullyCovered + answer.partlyCovered + answer.notCovered).toBe(99);
		for (const gap of answer.gaps) {
			expect(gap.share).toBeLessThan(answer.thresholdShare);
			expect(communities.find((c) => c.code === gap.code)?.name).toBe(gap.name);
		}
	});

	it('covers fewer elderly with one kind of facility than with all of them, and fewer in 10 minutes than in 15', () => {
		const any = coverageReport(inputs, PARAMETERS).district;
		const centres = coverageReport(inputs, { ...PARAMETERS, kind: 'street_care_centre' }).district;
		const ten = coverageReport(inputs, { ...PARAMETERS, minutes: 10, bandsMinutes: [5, 10] }).district;
		expect(covered(centres)).toBeLessThan(covered(any));
		expect(covered(ten)).toBeLessThan(covered(any));
		expect(covered(ten)).toBe(any.within[1]);
	});

	it('shows coverage as a band across elderly walking speeds, slower covering fewer', () => {
		const { speedBand, district } = coverageReport(inputs, PARAMETERS);
		expect(speedBand.map((b) => b.speedMps)).toEqual([0.8, 1.0, 1.2]);
		expect(speedBand[1].covered).toBeCloseTo(covered(district), 6);
		expect(speedBand[0].covered).toBeLessThan(speedBand[1].covered);
		expect(speedBand[1].covered).toBeLessThan(speedBand[2].covered);
	});

	it('counts the neighbours of removed facilities as uncovered when no other facility is near', () => {
		const before = coverageReport(inputs, PARAMETERS).district;
		const after = coverageReport(inputs, PARAMETERS, {
			added: [],
			removedFacilityIds: inputs.sites.filter((s) => s.kind === 'community_station').map((s) => s.id)
		}).district;
		expect(covered(after)).toBeLessThan(covered(before));
	});
});

describe('siting among candidate sites', () => {
	it('chooses among the named sites of the plan by maximal covering, and coverage does not fall', async () => {
		const result = await sitingForDistrict(sql, DISTRICT, {
			parameters: PARAMETERS,
			model: 'mclp',
			p: 2,
			capacitated: false,
			solver: 'both',
			timeLimitSeconds: 10,
			candidates: { planned: true, generated: 0, sites: [] },
			added: [],
			removedFacilityIds: []
		});
		expect(result.candidates.length).toBeGreaterThanOrEqual(4);
		expect(result.chosen).toHaveLength(2);
		expect(result.exact?.proven).toBe(true);
		expect(result.gap).toBeGreaterThanOrEqual(0);
		expect(covered(result.after)).toBeCloseTo(covered(result.before) + result.greedy.newlyCovered, 6);
	});

	it('closes real gaps when candidates are proposed where uncovered elderly live', async () => {
		const result = await sitingForDistrict(sql, DISTRICT, {
			parameters: PARAMETERS,
			model: 'mclp',
			p: 5,
			capacitated: false,
			solver: 'greedy',
			timeLimitSeconds: 10,
			candidates: { planned: false, generated: 200, sites: [] },
			added: [],
			removedFacilityIds: []
		});
		expect(result.greedy.newlyCovered).toBeGreaterThan(0);
		expect(covered(result.after)).toBeGreaterThan(covered(result.before));
	});

	it('refuses p larger than the number of candidates, with the reason', async () => {
		await expect(
			sitingForDistrict(sql, DISTRICT, {
				parameters: PARAMETERS,
				model: 'pmedian',
				p: 50,
				capacitated: false,
				solver: 'greedy',
				timeLimitSeconds: 10,
				candidates: { planned: true, generated: 0, sites: [] },
				added: [],
				removedFacilityIds: []
			})
		).rejects.toBeInstanceOf(SitingInputError);
	});

	it('refuses an uploaded candidate that is not a point, naming the feature', async () => {
		await expect(
			sitingForDistrict(sql, DISTRICT, {
				parameters: PARAMETERS,
				model: 'mclp',
				p: 1,
				capacitated: false,
				solver: 'greedy',
				timeLimitSeconds: 10,
				candidates: {
					planned: false,
					generated: 0,
					sites: [],
					geojson: {
						type: 'FeatureCollection',
						features: [
							{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [118.09, 24.46] } },
							{
								type: 'Feature',
								properties: {},
								geometry: {
									type: 'LineString',
									coordinates: [
										[118.09, 24.46],
										[118.1, 24.47]
									]
								}
							}
						]
					}
				},
				added: [],
				removedFacilityIds: []
			})
		).rejects.toThrow(/feature 2: geometry must be a Point, got LineString/);
	});
});

describe('scenarios', () => {
	it('saves two scenarios, compares them region by region and exports the table', async () => {
		const gap = coverageReport(inputs, PARAMETERS).gaps.sort((a, b) => b.elderly - a.elderly)[0];
		const base = await saveScenario(sql, inputs, {
			name: '现状',
			parameters: PARAMETERS,
			added: [],
			removedFacilityIds: [],
			siting: null
		});
		const plus = await saveScenario(sql, inputs, {
			name: '新增站点',
			parameters: PARAMETERS,
			added: [
				{
					name: '新站',
					kind: 'community_station',
					lon: gap.lon,
					lat: gap.lat,
					capacity: null,
					source: 'drawn'
				}
			],
			removedFacilityIds: [],
			siting: null
		});
		expect(covered(plus.results.district)).toBeGreaterThan(covered(base.results.district));
		const listed = await listScenarios(sql, DISTRICT);
		expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([base.id, plus.id]));

		const comparison = compareScenarios(base, (await findScenario(sql, DISTRICT, plus.id))!);
		const [district, ...regions] = comparison.differences;
		expect(district.level).toBe('district');
		expect(district.coveredB - district.coveredA).toBeCloseTo(
			covered(plus.results.district) - covered(base.results.district),
			6
		);
		expect(regions.some((r) => r.level === 'community' && r.coveredB > r.coveredA)).toBe(true);

		const csv = scenarioCsv(plus)
			.replace(/^\uFEFF/, '')
			.trim()
			.split('\r\n');
		expect(csv[0]).toBe(
			'level,code,name,elderly,within_5_min,within_10_min,within_15_min,share,uncovered,off_network,median_minutes,nearest_facility'
		);
		expect(csv).toHaveLength(1 + 1 + 10 + 99);
		expect(csv[1].startsWith('district,350203,思明区,')).toBe(true);

		expect(await deleteScenario(sql, DISTRICT, base.id)).toBe(true);
		expect(await findScenario(sql, DISTRICT, base.id)).toBeNull();
		await deleteScenario(sql, DISTRICT, plus.id);
	});
});
