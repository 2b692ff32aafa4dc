import { describe, expect, it } from 'vitest';
import {
	addVertex,
	changeKind,
	emptySketch,
	sketchGeometry,
	sketchOf,
	undoVertex
} from '../../src/lib/gazetteer/sketch';

const A: [number, number] = [118.08, 24.45];
const B: [number, number] = [118.09, 24.45];
const C: [number, number] = [118.09, 24.46];

describe('drawing a geometry for a proposal', () => {
	it('moves a point to each click', () => {
		const sketch = addVertex(addVertex(emptySketch(), A), B);
		expect(sketchGeometry(sketch)).toEqual({ type: 'Point', coordinates: B });
	});

	it('has no line before its second vertex, and a line after it', () => {
		const one = addVertex(emptySketch('line'), A);
		expect(sketchGeometry(one)).toBeNull();
		expect(sketchGeometry(addVertex(one, B))).toEqual({ type: 'LineString', coordinates: [A, B] });
	});

	it('closes a polygon’s ring from three vertices, and undoes the last one', () => {
		const triangle = [A, B, C].reduce(addVertex, emptySketch('polygon'));
		expect(sketchGeometry(triangle)).toEqual({ type: 'Polygon', coordinates: [[A, B, C, A]] });
		expect(sketchGeometry(undoVertex(triangle))).toBeNull();
	});

	it('keeps the vertices when a line becomes a polygon, and only the last when it becomes a point', () => {
		const line = [A, B, C].reduce(addVertex, emptySketch('line'));
		expect(changeKind(line, 'polygon').vertices).toEqual([A, B, C]);
		expect(changeKind(line, 'point').vertices).toEqual([C]);
	});

	it('opens a published polygon untouched, and marks it edited once a vertex is added', () => {
		const published = sketchOf({ type: 'Polygon', coordinates: [[A, B, C, A]] });
		expect(published).toEqual({ kind: 'polygon', vertices: [A, B, C], edited: false });
		expect(addVertex(published, [118.08, 24.46]).edited).toBe(true);
		expect(
			sketchOf({
				type: 'MultiLineString',
				coordinates: [
					[A, B],
					[C, A]
				]
			}).vertices
		).toEqual([A, B]);
		expect(sketchOf(null)).toEqual(emptySketch());
	});
});
