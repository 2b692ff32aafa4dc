/**
 * Pure functions that model placeholder sub-district geometry when no official polygons exist:
 * a parent polygon is split into one cell per child around given seeds (Voronoi, clipped to the
 * parent), or into n compact cells around k-means centres of an even sample of the parent.
 * The result is a drawing aid, never a surveyed boundary: callers label it as modelled.
 */
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

export type Area = Feature<Polygon | MultiPolygon>;

/**
 * Splits `parent` into one cell per seed: the Voronoi cell of the seed clipped to the parent.
 * A seed whose cell misses the parent entirely gets null.
 * @example splitBySeeds(district, [[118.08, 24.45], [118.16, 24.47]]) // two cells covering the district
 */
export function splitBySeeds(parent: Area, seeds: Position[]): (Area | null)[] {
	if (seeds.length === 0) throw new Error('seeds is required');
	if (seeds.length === 1) return [turf.feature(parent.geometry)];
	const [minX, minY, maxX, maxY] = turf.bbox(parent);
	const pad = 0.01;
	const cells = turf.voronoi(turf.featureCollection(seeds.map((seed) => turf.point(seed))), {
		bbox: [minX - pad, minY - pad, maxX + pad, maxY + pad]
	});
	return cells.features.map((cell) =>
		cell ? (turf.intersect(turf.featureCollection([cell, parent])) as Area | null) : null
	);
}

/**
 * Picks n well-spread centres inside `parent`: k-means (Lloyd) over an even grid sample,
 * distances scaled for the area's latitude,
 * initialised by farthest-point traversal from the westernmost sample so the result is deterministic.
 */
export function spreadCentres(parent: Area, n: number, samplesPerCentre = 40, iterations = 25): Position[] {
	if (n < 1) throw new Error('n must be at least 1');
	const samples = gridSample(parent, n * samplesPerCentre);
	if (samples.length < n) throw new Error(`parent is too small to hold ${n} cells`);
	const [, minY, , maxY] = turf.bbox(parent);
	const lonScale = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
	const squaredDistance = (a: Position, b: Position) => ((a[0] - b[0]) * lonScale) ** 2 + (a[1] - b[1]) ** 2;
	const centres: Position[] = [samples.reduce((west, p) => (p[0] < west[0] ? p : west))];
	while (centres.length < n) {
		let best = samples[0];
		let bestDistance = -1;
		for (const p of samples) {
			const d = Math.min(...centres.map((c) => squaredDistance(p, c)));
			if (d > bestDistance) [best, bestDistance] = [p, d];
		}
		centres.push(best);
	}
	for (let iteration = 0; iteration < iterations; iteration++) {
		const sums = centres.map(() => [0, 0, 0]);
		for (const p of samples) {
			let nearest = 0;
			for (let i = 1; i < centres.length; i++) {
				if (squaredDistance(p, centres[i]) < squaredDistance(p, centres[nearest])) nearest = i;
			}
			sums[nearest][0] += p[0];
			sums[nearest][1] += p[1];
			sums[nearest][2] += 1;
		}
		sums.forEach(([x, y, count], i) => {
			if (count > 0) centres[i] = [x / count, y / count];
		});
	}
	return centres;
}

/** An even grid of about `target` points inside the area. */
export function gridSample(area: Area, target: number): Position[] {
	const [minX, minY, maxX, maxY] = turf.bbox(area);
	const share = turf.area(area) / turf.area(turf.bboxPolygon([minX, minY, maxX, maxY]));
	const step = Math.sqrt(((maxX - minX) * (maxY - minY) * share) / target);
	const points: Position[] = [];
	for (let x = minX + step / 2; x < maxX; x += step) {
		for (let y = minY + step / 2; y < maxY; y += step) {
			if (turf.booleanPointInPolygon([x, y], area)) points.push([x, y]);
		}
	}
	return points;
}
