import { error } from '@sveltejs/kit';
import { getServices } from '$lib/server/context';
import { circleCoverageOn } from '$lib/server/plan-monitoring/facility-metrics';
import { planOverview } from '$lib/server/plan-monitoring/overview';
import { asOfFromUrl } from '$lib/server/plan-monitoring/requests';
import { regionsOfDistrict } from '$lib/server/regions/queries';
import type { PageServerLoad } from './$types';

const KINDS = ['midterm', 'final'] as const;

/**
 * The printable evaluation report for `?date=` (today by default): every indicator with its chart,
 * the 15-minute coverage of each community by that date's facilities, the projects' stages.
 * `?kind=midterm|final` names it; by default a date before the plan's last year is mid-term.
 */
export const load: PageServerLoad = async ({ url }) => {
	const { database, config } = getServices();
	const asOf = asOfFromUrl(url);
	const [overview, regions, coverage] = await Promise.all([
		planOverview(database.sql, config.districtCode, asOf),
		regionsOfDistrict(database.sql, config.districtCode),
		circleCoverageOn(database.sql, config.districtCode, asOf)
	]);
	const asked = url.searchParams.get('kind');
	if (asked !== null && !(KINDS as readonly string[]).includes(asked))
		error(400, `kind: "${asked.slice(0, 40)}" is not one of ${KINDS.join(', ')}`);
	const lastYear = overview.indicators[0]?.periodEnd.slice(0, 4) ?? asOf.slice(0, 4);
	const kind = (asked ?? (asOf.slice(0, 4) < lastYear ? 'midterm' : 'final')) as (typeof KINDS)[number];
	return {
		...overview,
		kind,
		regions,
		communities: coverage?.communities ?? null,
		generatedAt: new Date().toISOString()
	};
};
