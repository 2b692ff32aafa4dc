/**
 * The district's active walking network as an in-memory graph, built once per network and reused:
 * a dispatch proposal then costs one Dijkstra, not a database round of the whole network.
 */
import type { Sql } from '../db/client';
import { buildWalkGraph, type WalkGraph } from '../../routing/walk-graph';

const graphs = new Map<number, Promise<WalkGraph>>();

export async function activeWalkGraph(sql: Sql, districtCode: string): Promise<WalkGraph | null> {
	const [network]: { id: string }[] = await sql`
		select id from walk_networks where district_code = ${districtCode} and active`;
	return network ? walkGraphOf(sql, Number(network.id)) : null;
}

/**
 * One stored network's graph, by id: for callers that store results under the network's id
 * (facility-circles.ts), so the graph cannot be another network activated in between.
 */
export function walkGraphOf(sql: Sql, networkId: number): Promise<WalkGraph> {
	let graph = graphs.get(networkId);
	if (!graph) {
		graph = loadWalkGraph(sql, networkId);
		graphs.set(networkId, graph);
		// A failed load is not cached: the next request tries again.
		graph.catch(() => graphs.delete(networkId));
	}
	return graph;
}

async function loadWalkGraph(sql: Sql, networkId: number): Promise<WalkGraph> {
	const nodes = await sql<{ lon: number; lat: number }[]>`
		select st_x(geom) as lon, st_y(geom) as lat from walk_nodes
		where network_id = ${networkId} order by node_index`;
	const edges = await sql<{ from: number; to: number; lengthM: number; seconds: number | null }[]>`
		select from_node as "from", to_node as "to", length_m, seconds from walk_edges
		where network_id = ${networkId}`;
	return buildWalkGraph(nodes, edges);
}
