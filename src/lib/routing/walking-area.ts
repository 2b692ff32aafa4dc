/**
 * The area reachable on foot within a time from a point, built from the network actually walked: the
 * nodes reached in time and, along each walkway leaving them, the point where the time runs out,
 * wrapped in a concave hull whose edges are no longer than a block or two, so that water and
 * hillsides the network does not cross stay outside. Pure; the 15-minute eldercare circles
 * (server/coverage/facility-circles.ts) and their benchmark are drawn with it.
 */
import { concave, convex, featureCollection, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { nearestNode, walkingSecondsFrom, type WalkGraph } from './walk-graph';

/** An older person's pace, the planning assumption of the 15-minute circle. */
export const ELDERLY_SPEED_MPS = 1.0;
/** The 15-minute eldercare circle (一刻钟养老服务圈). */
export const CIRCLE_SECONDS = 15 * 60;
/**
 * A point farther than this from every network node is off the network and has no walking area:
 * half a kilometre is several blocks of any lattice or street network.
 */
export const MAX_SNAP_METERS = 500;

export interface WalkingArea {
	area: Feature<Polygon | MultiPolygon>;
	/** From the origin to the node it was snapped to: walked first, so it shortens the time left. */
	snapMeters: number;
}

/**
 * @param graph the walking network
 * @param origin [lon, lat] of the starting point, snapped to its nearest node
 * @param options.speedMps walking speed on walkways (ferries take their fixed time)
 * @param options.limitSeconds the time allowed, the walk to the snapped node included
 * @param options.maxEdgeKm the longest edge of the concave hull (0.3 km: two blocks)
 * @param options.maxSnapMeters how far the origin may be from the network ({@link MAX_SNAP_METERS})
 * @returns the area and the snapping distance; null when the origin is off the network, the time is
 *   used up by the walk to it, or too little is reached to enclose an area
 * @example walkingArea(graph, [118.08, 24.45], { speedMps: ELDERLY_SPEED_MPS, limitSeconds: CIRCLE_SECONDS })
 */
export function walkingArea(
	graph: WalkGraph,
	origin: [number, number],
	options: { speedMps: number; limitSeconds: number; maxEdgeKm?: number; maxSnapMeters?: number }
): WalkingArea | null {
	const start = nearestNode(graph, origin, options.maxSnapMeters ?? MAX_SNAP_METERS);
	if (!start) return null;
	const limitSeconds = options.limitSeconds - start.meters / options.speedMps;
	if (limitSeconds <= 0) return null;
	const tree = walkingSecondsFrom(graph, start.node, { speedMps: options.speedMps, limitSeconds });
	const reached = [point(origin)];
	for (let node = 0; node < graph.nodeCount; node++) {
		if (!Number.isFinite(tree.seconds[node])) continue;
		const lon = graph.lon[node];
		const lat = graph.lat[node];
		reached.push(point([lon, lat]));
		const leftMeters = (limitSeconds - tree.seconds[node]) * options.speedMps;
		if (leftMeters <= 0) continue;
		for (let slot = graph.offsets[node]; slot < graph.offsets[node + 1]; slot++) {
			// A ferry is taken whole or not at all: part of a crossing is water, not walkable ground.
			if (!Number.isNaN(graph.fixedSeconds[slot]) || graph.meters[slot] <= leftMeters) continue;
			// Edges are straight between their nodes here, so the end of the walk is interpolated.
			const share = leftMeters / graph.meters[slot];
			const to = graph.targets[slot];
			reached.push(point([lon + (graph.lon[to] - lon) * share, lat + (graph.lat[to] - lat) * share]));
		}
	}
	if (reached.length < 3) return null;
	const points = featureCollection(reached);
	const area =
		concave(points, { maxEdge: options.maxEdgeKm ?? 0.3, units: 'kilometers' }) ??
		(convex(points) as Feature<Polygon> | null);
	return area && { area, snapMeters: start.meters };
}
