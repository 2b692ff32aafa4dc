/**
 * Reads what a coverage or siting analysis needs from the database: the district's active walking
 * graph (built once and kept), its elderly demand cells with their street and community, region
 * names and open facilities. Each request reads demand and facilities afresh; they are small.
 */
import type { PlanningInputs } from '../../planning/coverage-report';
import type { CandidateSite } from '../../planning/report';
import type { Sql } from '../db/client';
import { activeWalkGraph } from '../routing/walk-graph-store';

export async function loadPlanningInputs(sql: Sql, districtCode: string): Promise<PlanningInputs> {
	const [network]: { name: string; provenance: string; nodeCount: number }[] = await sql`
		select name, provenance, node_count from walk_networks where district_code = ${districtCode} and active`;
	const graph = network ? await activeWalkGraph(sql, districtCode) : null;
	const demand = await sql<
		{
			cellId: string;
			lon: number;
			lat: number;
			weight: number;
			streetCode: string | null;
			communityCode: string | null;
		}[]
	>`
		select c.cell_id, st_x(c.centre) as lon, st_y(c.centre) as lat, c.elderly as weight,
			case r.level when 'community' then r.code end as community_code,
			case r.level when 'community' then r.parent_code when 'street' then r.code end as street_code
		from population_cells c left join regions r on r.code = c.region_code
		where c.district_code = ${districtCode}
		order by c.cell_id`;
	const regions = await sql<{ code: string; name: string; level: string }[]>`
		select code, name, level from regions where starts_with(code, ${districtCode})`;
	const sites = await sql<
		{ id: string; name: string; kind: string; lon: number; lat: number; capacity: number | null }[]
	>`
		select id::text, name, kind, st_x(geom) as lon, st_y(geom) as lat, nullif(beds, 0) as capacity
		from facilities
		where starts_with(region_code, ${districtCode}) and status = 'open'
		order by id`;
	return {
		districtCode,
		districtName: regions.find((r) => r.code === districtCode)?.name ?? districtCode,
		graph,
		network: network ?? null,
		demand: [...demand],
		regionNames: new Map(regions.map((r) => [r.code, r.name])),
		sites: sites.map((s) => ({ ...s, snapMeters: null }))
	};
}

/** The plan's named projects (planned or being built): the siting analysis's default candidates. */
export async function plannedCandidates(sql: Sql, districtCode: string): Promise<CandidateSite[]> {
	const rows = await sql<{ name: string; kind: string; lon: number; lat: number; capacity: number | null }[]>`
		select name, kind, st_x(geom) as lon, st_y(geom) as lat, nullif(beds, 0) as capacity
		from facilities
		where starts_with(region_code, ${districtCode}) and status in ('planned', 'building')
		order by id`;
	return rows.map((r) => ({ ...r, source: 'planned' as const }));
}
