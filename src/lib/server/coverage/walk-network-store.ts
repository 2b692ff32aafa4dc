/**
 * Stores walking networks (modelled or imported) and says which one a district uses.
 * Saving a network under an existing name replaces it, so re-importing the same file is idempotent.
 */
import type { WalkNetworkCollection } from '../../geo/features';
import type { Sql } from '../db/client';

export interface StoredNode {
	lon: number;
	lat: number;
	/** The id in the source data (an OSM node id), when there is one. */
	sourceId?: number | null;
}

export interface StoredEdge {
	from: number;
	to: number;
	lengthM: number;
	kind: 'walk' | 'ferry';
	seconds?: number | null;
	sourceWay?: number | null;
	/** The way's shape; a straight segment between the end nodes when absent. */
	coords?: [number, number][];
}

export interface WalkNetworkInput {
	districtCode: string;
	name: string;
	provenance: 'official' | 'derived' | 'modelled';
	source: string;
	nodes: StoredNode[];
	edges: StoredEdge[];
	activate: boolean;
}

export interface WalkNetworkSummary {
	id: number;
	name: string;
	provenance: string;
	source: string;
	active: boolean;
	nodeCount: number;
	edgeCount: number;
	importedAt: string;
}

export async function saveWalkNetwork(sql: Sql, input: WalkNetworkInput): Promise<number> {
	return sql.begin(async (tx) => {
		await tx`delete from walk_networks where district_code = ${input.districtCode} and name = ${input.name}`;
		if (input.activate) {
			await tx`update walk_networks set active = false where district_code = ${input.districtCode} and active`;
		}
		const [{ id }]: { id: string }[] = await tx`
			insert into walk_networks (district_code, name, provenance, source, active, node_count, edge_count)
			values (${input.districtCode}, ${input.name}, ${input.provenance}, ${input.source}, ${input.activate},
				${input.nodes.length}, ${input.edges.length})
			returning id`;
		const networkId = Number(id);
		const nodes = input.nodes;
		await tx`
			insert into walk_nodes (network_id, node_index, source_id, geom)
			select ${networkId}, i - 1, src, st_setsrid(st_makepoint(lon, lat), 4326)
			from unnest(
				${tx.array(nodes.map((n) => n.lon))}::float8[],
				${tx.array(nodes.map((n) => n.lat))}::float8[],
				${tx.array(nodes.map((n) => n.sourceId ?? null))}::int8[]
			) with ordinality as u(lon, lat, src, i)`;
		const edges = input.edges;
		await tx`
			insert into walk_edges (network_id, edge_index, from_node, to_node, length_m, kind, seconds, source_way, geom)
			select ${networkId}, u.i - 1, u.a, u.b, u.len, u.kind, u.secs, u.way,
				coalesce(st_setsrid(st_geomfromgeojson(u.shape), 4326), st_makeline(na.geom, nb.geom))
			from unnest(
				${tx.array(edges.map((e) => e.from))}::int4[],
				${tx.array(edges.map((e) => e.to))}::int4[],
				${tx.array(edges.map((e) => e.lengthM))}::float8[],
				${tx.array(edges.map((e) => e.kind))}::text[],
				${tx.array(edges.map((e) => e.seconds ?? null))}::float8[],
				${tx.array(edges.map((e) => e.sourceWay ?? null))}::int8[],
				${tx.array(edges.map((e) => (e.coords ? JSON.stringify({ type: 'LineString', coordinates: e.coords }) : null)))}::text[]
			) with ordinality as u(a, b, len, kind, secs, way, shape, i)
			join walk_nodes na on na.network_id = ${networkId} and na.node_index = u.a
			join walk_nodes nb on nb.network_id = ${networkId} and nb.node_index = u.b`;
		return networkId;
	});
}

export async function listWalkNetworks(sql: Sql, districtCode: string): Promise<WalkNetworkSummary[]> {
	const rows = await sql<(WalkNetworkSummary & { id: string })[]>`
		select id, name, provenance, source, active, node_count, edge_count, imported_at
		from walk_networks where district_code = ${districtCode} order by imported_at desc`;
	return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** The district's active walking network as GeoJSON lines (empty with `network: null` when none). */
export async function activeWalkNetworkOfDistrict(
	sql: Sql,
	districtCode: string
): Promise<WalkNetworkCollection> {
	const [network]: (WalkNetworkSummary & { id: string })[] = await sql`
		select id, name, provenance, source, node_count, edge_count
		from walk_networks where district_code = ${districtCode} and active`;
	if (!network) return { type: 'FeatureCollection', features: [], network: null };
	const [{ features }] = await sql`
		select coalesce(json_agg(json_build_object(
			'type', 'Feature',
			'geometry', st_asgeojson(geom, 6)::json,
			'properties', json_build_object('kind', kind, 'lengthM', round(length_m::numeric, 1), 'seconds', seconds)
		) order by edge_index), '[]'::json) as features
		from walk_edges where network_id = ${network.id}`;
	const { name, provenance, source, nodeCount, edgeCount } = network;
	return {
		type: 'FeatureCollection',
		features,
		network: {
			name,
			provenance: provenance as 'official' | 'derived' | 'modelled',
			source,
			nodeCount,
			edgeCount
		}
	};
}
