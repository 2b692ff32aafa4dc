/**
 * The area reachable on foot within a time from a point: the network nodes reached in time, wrapped
 * in a concave hull whose edges are no longer than a block or two, so that water and hillsides the
 * network does not cross stay outside. Pure; the 15-minute eldercare circles are drawn with it.
 */
import { concave, convex, featureCollection, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { nearestNode, walkingSecondsFrom, type WalkGraph } from './walk-graph';

/** An older person's pace, the planning assumption of the 15-minute circle. */
export const ELDERLY_SPEED_MPS = 1.0;
/** The 15-minute eldercare circle (一刻钟养老服务圈). */
export const CIRCLE_SECONDS = 15 * 60;

export function walkingArea(
	graph: WalkGraph,
	origin: [number, number],
	options: { speedMps: number; limitSeconds: number; maxEdgeKm?: number }
): Feature<Polygon | MultiPolygon> | null {
	const start = nearestNode(graph, origin);
	if (!start) return null;
	const startSeconds = start.meters / options.speedMps;
	if (startSeconds > options.limitSeconds) return null;
	const tree = walkingSecondsFrom(graph, start.node, {
		speedMps: options.speedMps,
		limitSeconds: options.limitSeconds - startSeconds
	});
	const reached = [point(origin)];
	for (let node = 0; node < graph.nodeCount; node++) {
		if (Number.isFinite(tree.seconds[node])) reached.push(point([graph.lon[node], graph.lat[node]]));
	}
	if (reached.length < 3) return null;
	const points = featureCollection(reached);
	return (
		concave(points, { maxEdge: options.maxEdgeKm ?? 0.3, units: 'kilometers' }) ??
		(convex(points) as Feature<Polygon> | null)
	);
}
