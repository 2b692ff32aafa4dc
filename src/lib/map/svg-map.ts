/**
 * Static maps as SVG paths, for pages that must print (the scenario report): no WebGL, no tiles.
 * The projection is equirectangular with longitude scaled by the cosine of the middle latitude,
 * which keeps shapes true to within a fraction of a percent across a district.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface SvgFrame {
	width: number;
	height: number;
	/** SVG x, y of a WGS-84 position. */
	project(position: Position): [number, number];
}

/**
 * A frame `width` units wide around a [west, south, east, north] box, with `margin` units around it.
 * @example svgFrame([118.05, 24.42, 118.2, 24.52], 600).height // ≈ 437
 */
export function svgFrame(box: [number, number, number, number], width: number, margin = 8): SvgFrame {
	const [west, south, east, north] = box;
	const xScale = Math.cos((((south + north) / 2) * Math.PI) / 180);
	const spanX = Math.max((east - west) * xScale, 1e-9);
	const spanY = Math.max(north - south, 1e-9);
	const scale = (width - 2 * margin) / spanX;
	const height = Math.round(spanY * scale + 2 * margin);
	return {
		width,
		height,
		project: ([lon, lat]) => [
			round(margin + (lon - west) * xScale * scale),
			round(margin + (north - lat) * scale)
		]
	};
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The [west, south, east, north] box of polygons. */
export function boxOf(geometries: (Polygon | MultiPolygon)[]): [number, number, number, number] {
	let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
	for (const geometry of geometries)
		for (const ring of rings(geometry))
			for (const [lon, lat] of ring) {
				west = Math.min(west, lon);
				east = Math.max(east, lon);
				south = Math.min(south, lat);
				north = Math.max(north, lat);
			}
	return [west, south, east, north];
}

function rings(geometry: Polygon | MultiPolygon): Position[][] {
	return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/**
 * The SVG path data of a polygon or multipolygon; holes are separate subpaths, so draw the path
 * with `fill-rule="evenodd"`.
 * @example svgPath({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, frame) // "M8 … Z"
 */
export function svgPath(geometry: Polygon | MultiPolygon, frame: SvgFrame): string {
	return rings(geometry)
		.map((ring) => {
			const points = ring.map((p) => frame.project(p));
			return `M${points.map(([x, y]) => `${x} ${y}`).join('L')}Z`;
		})
		.join('');
}
