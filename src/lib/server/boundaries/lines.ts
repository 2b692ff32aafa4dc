/**
 * Boundary lines, derived from the region polygons: for every pair of adjacent streets of the
 * district, the part of their outlines they share, and the district's own outline. The street
 * polygons are modelled placeholders (geo/README.md), so the lines are stored as modelled and say so.
 * Deriving again re-digitises the lines in place (same line code, same id, so markers and campaigns
 * stay attached): a new geometry of the same line, not a boundary change.
 */
import type { Feature, FeatureCollection, MultiLineString } from 'geojson';
import { recordAudit } from '../audit/audit-log';
import type { Sql } from '../db/client';

export interface BoundaryLineProperties {
	id: number;
	lineCode: string;
	kind: 'street_street' | 'district_outline';
	name: string;
	leftRegionCode: string;
	rightRegionCode: string | null;
	lengthM: number;
	modelled: boolean;
	geomSource: string;
	markerCount: number;
}

export type BoundaryLineCollection = FeatureCollection<MultiLineString, BoundaryLineProperties>;

const SOURCE = 'derived from the modelled street polygons (geo/README.md); not a surveyed boundary';

/** Derives (or re-derives) the district's boundary lines; returns how many there are. */
export async function deriveBoundaryLines(sql: Sql, districtCode: string, actor: string): Promise<number> {
	return sql.begin(async (tx) => {
		const rows = await tx<{ id: string }[]>`
			with pairs as (
				select a.code as left_code, b.code as right_code, a.name || ' — ' || b.name as name,
					right(a.code, 3) || right(b.code, 3) as line_code,
					st_multi(st_collectionextract(st_intersection(st_boundary(a.geom), st_boundary(b.geom)), 2)) as geom
				from regions a join regions b
					on a.parent_code = b.parent_code and a.code < b.code and st_intersects(a.geom, b.geom)
				where a.level = 'street' and b.level = 'street' and a.parent_code = ${districtCode}
			),
			lines as (
				select 'street_street' as kind, left_code, right_code, name, line_code, geom from pairs
				where not st_isempty(geom) and st_length(geom::geography) > 1
				union all
				select 'district_outline', code, null, name || ' 区界', code, st_multi(st_boundary(geom))
				from regions where code = ${districtCode} and geom is not null
			)
			insert into boundary_lines (district_code, line_code, kind, left_region_code, right_region_code,
				name, geom, length_m, geom_source, modelled)
			select ${districtCode}, line_code, kind, left_code, right_code, name, geom,
				st_length(geom::geography), ${SOURCE}, true
			from lines
			on conflict (district_code, line_code) do update set
				geom = excluded.geom, length_m = excluded.length_m, name = excluded.name,
				geom_source = excluded.geom_source, modelled = excluded.modelled, updated_at = now()
			returning id`;
		await recordAudit(tx as unknown as Sql, {
			actor,
			action: 'boundary.derive',
			subjectType: 'boundary_line',
			subjectId: districtCode,
			districtCode,
			detail: { lines: rows.length }
		});
		return rows.length;
	}) as Promise<number>;
}

type LineRow = Omit<BoundaryLineProperties, 'id'> & { id: string; geometry: MultiLineString };

export async function boundaryLines(sql: Sql, districtCode: string): Promise<BoundaryLineCollection> {
	const rows = await sql<LineRow[]>`
		select l.id, l.line_code, l.kind, l.name, l.left_region_code, l.right_region_code, l.length_m,
			l.modelled, l.geom_source, st_asgeojson(l.geom, 6)::json as geometry,
			(select count(*)::int from boundary_markers m where m.line_id = l.id) as marker_count
		from boundary_lines l where l.district_code = ${districtCode} order by l.kind desc, l.line_code`;
	return {
		type: 'FeatureCollection',
		features: rows.map(({ geometry, ...row }): Feature<MultiLineString, BoundaryLineProperties> => ({
			type: 'Feature',
			id: Number(row.id),
			geometry,
			properties: { ...row, id: Number(row.id) }
		}))
	};
}

export async function findLine(
	sql: Sql,
	districtCode: string,
	id: number
): Promise<BoundaryLineProperties | null> {
	const lines = await boundaryLines(sql, districtCode);
	return lines.features.find((f) => f.properties.id === id)?.properties ?? null;
}
