/**
 * The indicators the platform counts itself, at any date, from the facilities' life cycle: a
 * facility counts from its opening date (or from before the plan when it has none) until its
 * closing date (or its last update when it was closed without one); planned and building
 * facilities never count. Called by the indicator listing for every date of a time series.
 */
import { ANY_KIND, bandsFor, coverageReport, type PlanningInputs } from '../../planning/coverage-report';
import type { CoverageParameters, CoverageReport, PlanningSite } from '../../planning/report';
import { ELDERLY_SPEED_MPS } from '../../routing/walking-area';
import { baseDate, type IndicatorMetric } from '../../dashboard/plan-status';
import type { PendingQuery, Row } from 'postgres';
import type { Sql } from '../db/client';
import { loadPlanningInputs } from '../planning/planning-inputs';

const CIRCLE_MINUTES = 15;

interface FacilityTotals {
	day: string;
	facilities: number;
	beds: number;
	nursingBeds: number;
}

/** Whether facility `f` is open on the date `day` (a SQL fragment over `facilities f`). */
function openOn(sql: Sql, day: PendingQuery<Row[]>): PendingQuery<Row[]> {
	return sql`f.status in ('open', 'closed')
		and (f.opened_on is null or f.opened_on <= ${day})
		and not (f.status = 'closed'
			and coalesce(f.closed_on, (f.updated_at at time zone 'Asia/Shanghai')::date) <= ${day})`;
}

/** Open facilities, their beds and nursing beds in the district on each date. */
async function facilityTotals(sql: Sql, districtCode: string, dates: string[]): Promise<FacilityTotals[]> {
	return sql<FacilityTotals[]>`
		select d.day::text as day, count(f.id)::int as facilities,
			coalesce(sum(f.beds), 0)::int as beds, coalesce(sum(f.nursing_beds), 0)::int as nursing_beds
		from unnest(${sql.array(dates)}::date[]) as d (day)
		left join facilities f on starts_with(f.region_code, ${districtCode}) and ${openOn(sql, sql`d.day`)}
		group by d.day
		order by d.day`;
}

/** The facilities open on a date, as planning sites. */
async function sitesOpenOn(sql: Sql, districtCode: string, on: string): Promise<PlanningSite[]> {
	const rows = await sql<Omit<PlanningSite, 'snapMeters'>[]>`
		select f.id::text, f.name, f.kind, st_x(f.geom) as lon, st_y(f.geom) as lat, nullif(f.beds, 0) as capacity
		from facilities f
		where starts_with(f.region_code, ${districtCode}) and ${openOn(sql, sql`${on}::date`)}
		order by f.id`;
	return rows.map((r) => ({ ...r, snapMeters: null }));
}

/** The plan's circle: 15 minutes' walk at the elderly speed to a facility of any kind. */
export const CIRCLE_PARAMETERS: CoverageParameters = {
	minutes: CIRCLE_MINUTES,
	bandsMinutes: bandsFor(CIRCLE_MINUTES),
	speedMps: ELDERLY_SPEED_MPS,
	kind: ANY_KIND
};

/**
 * The 15-minute coverage of the district by the facilities open on a date (the planning page's
 * report with that date's facilities); null when the district has no walking network.
 */
export async function circleCoverageOn(
	sql: Sql,
	districtCode: string,
	on: string,
	inputs?: PlanningInputs
): Promise<CoverageReport | null> {
	const district = inputs ?? (await loadPlanningInputs(sql, districtCode));
	if (!district.graph) return null;
	const sites = await sitesOpenOn(sql, districtCode, on);
	return coverageReport({ ...district, sites }, CIRCLE_PARAMETERS);
}

/**
 * Per date, the percentage of communities with their 15-minute circle (the planning page's answer:
 * enough of their elderly within 15 minutes' walk of an open facility); null without a network.
 */
export async function circleCommunityShares(
	sql: Sql,
	districtCode: string,
	dates: string[]
): Promise<(number | null)[]> {
	const inputs = await loadPlanningInputs(sql, districtCode);
	const shares: (number | null)[] = [];
	for (const on of dates) {
		const report = await circleCoverageOn(sql, districtCode, on, inputs);
		const answer = report?.answer;
		shares.push(
			answer && answer.communities > 0
				? (100 * (answer.communities - answer.gaps.length)) / answer.communities
				: null
		);
	}
	return shares;
}

/**
 * Each computed metric's value on each date. `periodStart` fixes the base date new beds are counted
 * from (net: beds open on the date minus beds open at the base date).
 */
export async function metricSeries(
	sql: Sql,
	districtCode: string,
	metrics: IndicatorMetric[],
	dates: string[],
	periodStart: string
): Promise<Map<IndicatorMetric, (number | null)[]>> {
	const base = baseDate(periodStart);
	const totals = await facilityTotals(sql, districtCode, [...new Set([base, ...dates])]);
	const totalOn = new Map(totals.map((t) => [t.day, t]));
	const series = new Map<IndicatorMetric, (number | null)[]>();
	for (const metric of metrics) {
		if (metric === 'circle_community_share') {
			series.set(metric, await circleCommunityShares(sql, districtCode, dates));
			continue;
		}
		series.set(
			metric,
			dates.map((on) => {
				const t = totalOn.get(on)!;
				if (metric === 'facility_count') return t.facilities;
				if (metric === 'net_new_beds') return t.beds - totalOn.get(base)!.beds;
				return t.beds > 0 ? (100 * t.nursingBeds) / t.beds : null;
			})
		);
	}
	return series;
}
