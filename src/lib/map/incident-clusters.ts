/**
 * Screen-grid clustering of incidents for the dispatch map: zoomed out, incidents whose screen
 * positions fall in one grid cell are drawn as one cluster, coloured by its worst severity,
 * labelled "unacknowledged/total" and pulsing like its worst unacknowledged incident would. Cells are fixed on the Web Mercator plane at the
 * zoom level (like Leaflet.markercluster's grid), so the same view always groups the same way.
 */
import { isUnacknowledged, worseSeverity } from '../alerts/sla';
import type { IncidentSummary } from '../realtime/events';

/** From this zoom on every incident is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 15;
/** Grid cell size in CSS pixels. */
export const CLUSTER_CELL_PX = 56;
/** MapLibre's world is 512 px wide at zoom 0. */
const TILE_SIZE = 512;

export interface IncidentCluster {
	/** Stable for a cell at a zoom: `z{zoom}:{column}:{row}`. */
	id: string;
	/** Mean position of its incidents. */
	position: [number, number];
	count: number;
	unacknowledged: number;
	severity: IncidentSummary['severity'];
	/** The worst severity among its unacknowledged incidents (the pulse's); null when none waits. */
	waitingSeverity: IncidentSummary['severity'] | null;
	incidentIds: number[];
}

export interface ClusteredIncidents {
	/** Incidents drawn individually. */
	singles: IncidentSummary[];
	clusters: IncidentCluster[];
}

/** Web Mercator pixel position of a [lon, lat] at a zoom. */
export function mercatorPixel([lon, lat]: [number, number], zoom: number): [number, number] {
	const world = TILE_SIZE * 2 ** zoom;
	const sin = Math.sin((Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180);
	return [((lon + 180) / 360) * world, (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * world];
}

/**
 * Groups incidents that share a grid cell at `zoom` (rounded down to a whole level, so clusters do
 * not reshuffle during a zoom animation). Cells with one incident, incidents listed in `keepApart`
 * (e.g. the selected one) and every incident from CLUSTER_MAX_ZOOM on stay single.
 * @example clusterIncidents(incidents, 12).clusters[0] // { count: 3, unacknowledged: 2, severity: 'critical', waitingSeverity: 'high', … }
 */
export function clusterIncidents(
	incidents: readonly IncidentSummary[],
	zoom: number,
	keepApart: readonly number[] = []
): ClusteredIncidents {
	const level = Math.floor(zoom);
	if (level >= CLUSTER_MAX_ZOOM) return { singles: [...incidents], clusters: [] };
	const cells = new Map<string, IncidentSummary[]>();
	const singles: IncidentSummary[] = [];
	for (const incident of incidents) {
		if (keepApart.includes(incident.id)) {
			singles.push(incident);
			continue;
		}
		const [x, y] = mercatorPixel(incident.location, level);
		const key = `z${level}:${Math.floor(x / CLUSTER_CELL_PX)}:${Math.floor(y / CLUSTER_CELL_PX)}`;
		const cell = cells.get(key);
		if (cell) cell.push(incident);
		else cells.set(key, [incident]);
	}
	const clusters: IncidentCluster[] = [];
	for (const [id, members] of cells) {
		if (members.length === 1) {
			singles.push(members[0]);
			continue;
		}
		const waiting = members.filter(isUnacknowledged);
		clusters.push({
			id,
			position: [
				members.reduce((sum, i) => sum + i.location[0], 0) / members.length,
				members.reduce((sum, i) => sum + i.location[1], 0) / members.length
			],
			count: members.length,
			unacknowledged: waiting.length,
			severity: members.map((i) => i.severity).reduce(worseSeverity),
			waitingSeverity: waiting.length ? waiting.map((i) => i.severity).reduce(worseSeverity) : null,
			incidentIds: members.map((i) => i.id)
		});
	}
	return { singles, clusters };
}
