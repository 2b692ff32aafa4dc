/**
 * A geometry being drawn for a proposal: a point, a line or a polygon, built vertex by vertex from
 * map clicks (or typed coordinates). `edited` says whether the editor changed it, so an untouched
 * line or polygon of a published name is not proposed again with rounded coordinates.
 */
import type { Geometry, Position } from 'geojson';

export type SketchKind = 'point' | 'line' | 'polygon';
export type Vertex = [number, number];

export interface Sketch {
	kind: SketchKind;
	vertices: Vertex[];
	edited: boolean;
}

/** The fewest vertices each kind needs to be a geometry. */
export const MIN_VERTICES: Record<SketchKind, number> = { point: 1, line: 2, polygon: 3 };

export const emptySketch = (kind: SketchKind = 'point'): Sketch => ({ kind, vertices: [], edited: false });

/** A point moves to the vertex; a line or polygon gains it at its end. */
export function addVertex(sketch: Sketch, vertex: Vertex): Sketch {
	return {
		...sketch,
		vertices: sketch.kind === 'point' ? [vertex] : [...sketch.vertices, vertex],
		edited: true
	};
}

export function undoVertex(sketch: Sketch): Sketch {
	return { ...sketch, vertices: sketch.vertices.slice(0, -1), edited: true };
}

/** Another kind keeps the vertices that still make sense (a point keeps the last one). */
export function changeKind(sketch: Sketch, kind: SketchKind): Sketch {
	if (kind === sketch.kind) return sketch;
	return { kind, vertices: kind === 'point' ? sketch.vertices.slice(-1) : sketch.vertices, edited: true };
}

/**
 * The GeoJSON geometry drawn so far, or null while it has too few vertices. A polygon's ring is
 * closed here; the editor never clicks the first vertex again.
 *
 * @example sketchGeometry({ kind: 'line', vertices: [[118.08, 24.45], [118.09, 24.46]], edited: true })
 * // → { type: 'LineString', coordinates: [[118.08, 24.45], [118.09, 24.46]] }
 */
export function sketchGeometry(sketch: Sketch): Geometry | null {
	const { kind, vertices } = sketch;
	if (vertices.length < MIN_VERTICES[kind]) return null;
	if (kind === 'point') return { type: 'Point', coordinates: vertices[vertices.length - 1] };
	if (kind === 'line') return { type: 'LineString', coordinates: vertices };
	return { type: 'Polygon', coordinates: [[...vertices, vertices[0]]] };
}

const vertexOf = (position: Position): Vertex => [position[0], position[1]];

/** A published geometry as a sketch to edit (a multi-part geometry by its first part), untouched. */
export function sketchOf(geometry: Geometry | null): Sketch {
	switch (geometry?.type) {
		case 'Point':
			return { kind: 'point', vertices: [vertexOf(geometry.coordinates)], edited: false };
		case 'LineString':
			return { kind: 'line', vertices: geometry.coordinates.map(vertexOf), edited: false };
		case 'MultiLineString':
			return { kind: 'line', vertices: (geometry.coordinates[0] ?? []).map(vertexOf), edited: false };
		case 'Polygon':
		case 'MultiPolygon': {
			const ring =
				(geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0]?.[0]) ?? [];
			return { kind: 'polygon', vertices: ring.slice(0, -1).map(vertexOf), edited: false };
		}
		default:
			return emptySketch();
	}
}
