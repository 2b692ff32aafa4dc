/**
 * deck.gl layers of the dispatch console, drawn above the district layers: responders as diamonds
 * coloured by status (facilities are round, so the two never read alike), the selected incident's proposed responders ringed and linked to it, incidents by
 * severity (zoomed out, grouped into clusters) and a pulsing halo around unacknowledged incidents and
 * around clusters that hold any.
 *
 * The pulse is the only thing that changes per frame, and only through the `radiusScale` and
 * `opacity` uniforms of a layer whose data and accessors stay the same, so deck.gl recomputes no
 * attribute while it animates.
 */
import { IconLayer, LineLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { isUnacknowledged } from '../alerts/sla';
import type { IncidentSummary, ResponderSummary } from '../realtime/events';
import { HIGHLIGHT_COLOR, RESPONDER_COLORS, SEVERITY_COLORS, type Rgba } from './colors';
import type { IncidentCluster } from './incident-clusters';

export const DISPATCH_LAYER_IDS = {
	proposalLinks: 'proposal-links',
	responderHighlight: 'responder-highlight',
	responders: 'responders',
	pulse: 'incident-pulse',
	incidents: 'incidents',
	clusters: 'incident-clusters',
	clusterLabels: 'incident-cluster-labels'
} as const;

type Severity = IncidentSummary['severity'];

/** Bigger for the more severe, so severity does not rest on colour alone. */
export const INCIDENT_RADIUS_PX: Record<Severity, number> = { critical: 14, high: 12, medium: 10, low: 8 };
/** Faster for the more severe; one period of the halo growing and fading, in ms. */
const PULSE_PERIOD_MS: Record<Severity, number> = { critical: 1000, high: 1400, medium: 2000, low: 2600 };
const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical'];
const WHITE: Rgba = [255, 255, 255, 255];

const RESPONDER_ICON_PX = 22;

/** A diamond in the status colour with a dark edge, as an SVG data URL (the CSP allows data: images). */
function responderIcon(status: ResponderSummary['status']) {
	const [r, g, b] = RESPONDER_COLORS[status];
	const svg =
		`<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">` +
		`<path d="M24 3 L45 24 L24 45 L3 24 Z" fill="rgb(${r},${g},${b})" stroke="#0f172a" stroke-width="5" stroke-linejoin="round"/>` +
		`<circle cx="24" cy="24" r="6" fill="#ffffff"/></svg>`;
	return {
		id: `responder-${status}`,
		url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
		width: 48,
		height: 48,
		anchorY: 24
	};
}
const RESPONDER_ICONS = {
	available: responderIcon('available'),
	busy: responderIcon('busy'),
	off: responderIcon('off')
};

export interface DispatchLayerInput {
	/** Incidents drawn on their own, in the basemap's CRS. */
	incidents: IncidentSummary[];
	clusters: IncidentCluster[];
	responders: ResponderSummary[];
	selectedIncidentId: number | null;
	highlightedResponderIds: readonly number[];
}

const incidentPosition = (i: IncidentSummary) => i.location;
const incidentColor = (i: IncidentSummary) => SEVERITY_COLORS[i.severity];
const incidentRadius = (i: IncidentSummary) => INCIDENT_RADIUS_PX[i.severity];
const pulsePosition = (p: PulseTarget) => p.position;
const pulseRadius = (p: PulseTarget) => p.radius;
/** Grows with the count, up to a limit, so a big cluster does not hide its neighbours. */
const clusterRadius = (c: IncidentCluster) => Math.min(30, 14 + 4 * Math.sqrt(c.count));

/**
 * What a pulse is drawn around: an unacknowledged incident, or a cluster holding some. Its colour
 * and beat are those of its group's severity (pulseGroups).
 */
export interface PulseTarget {
	position: [number, number];
	/** The radius of the mark it surrounds, in pixels. */
	radius: number;
}

export interface DispatchLayers {
	/** Drawn below the pulse: the links to the proposed responders and the responders. */
	under: Layer[];
	/** Drawn above the pulse: incidents and clusters. */
	over: Layer[];
}

/** The layers that change only when the data or the selection does. */
export function buildDispatchLayers({
	incidents,
	clusters,
	responders,
	selectedIncidentId,
	highlightedResponderIds
}: DispatchLayerInput): DispatchLayers {
	const placed = responders.filter((r): r is ResponderSummary & { location: [number, number] } =>
		Boolean(r.location)
	);
	const highlighted = (r: ResponderSummary) => highlightedResponderIds.includes(r.id);
	const selected = incidents.find((i) => i.id === selectedIncidentId);
	const links = selected
		? placed.filter(highlighted).map((r) => ({ from: selected.location, to: r.location }))
		: [];
	const highlightKey = highlightedResponderIds.join(',');

	const under = [
		new LineLayer<(typeof links)[number]>({
			id: DISPATCH_LAYER_IDS.proposalLinks,
			data: links,
			getSourcePosition: (l) => l.from,
			getTargetPosition: (l) => l.to,
			getColor: [250, 204, 21, 170],
			getWidth: 2,
			widthUnits: 'pixels'
		}),
		new ScatterplotLayer<(typeof placed)[number]>({
			id: DISPATCH_LAYER_IDS.responderHighlight,
			data: placed.filter(highlighted),
			getPosition: (r) => r.location,
			getRadius: RESPONDER_ICON_PX * 0.75,
			getLineColor: HIGHLIGHT_COLOR,
			getLineWidth: 4,
			filled: false,
			stroked: true,
			radiusUnits: 'pixels',
			lineWidthUnits: 'pixels'
		}),
		new IconLayer<(typeof placed)[number]>({
			id: DISPATCH_LAYER_IDS.responders,
			data: placed,
			pickable: true,
			getPosition: (r) => r.location,
			getIcon: (r) => RESPONDER_ICONS[r.status],
			getSize: (r) => (highlighted(r) ? RESPONDER_ICON_PX * 1.25 : RESPONDER_ICON_PX),
			sizeUnits: 'pixels',
			updateTriggers: { getSize: highlightKey }
		})
	];
	const over = [
		new ScatterplotLayer<IncidentSummary>({
			id: DISPATCH_LAYER_IDS.incidents,
			data: incidents,
			pickable: true,
			getPosition: incidentPosition,
			getFillColor: incidentColor,
			// Unacknowledged incidents carry a thick ring so they stand out on a wall screen.
			getLineColor: (i) => (i.id === selectedIncidentId ? HIGHLIGHT_COLOR : WHITE),
			getLineWidth: (i) => (i.id === selectedIncidentId ? 5 : isUnacknowledged(i) ? 4 : 1.5),
			getRadius: incidentRadius,
			radiusUnits: 'pixels',
			lineWidthUnits: 'pixels',
			stroked: true,
			updateTriggers: { getLineColor: selectedIncidentId, getLineWidth: selectedIncidentId }
		}),
		new ScatterplotLayer<IncidentCluster>({
			id: DISPATCH_LAYER_IDS.clusters,
			data: clusters,
			pickable: true,
			getPosition: (c) => c.position,
			getFillColor: (c) => SEVERITY_COLORS[c.severity],
			getLineColor: WHITE,
			getLineWidth: (c) => (c.unacknowledged > 0 ? 4 : 1.5),
			getRadius: clusterRadius,
			radiusUnits: 'pixels',
			lineWidthUnits: 'pixels',
			stroked: true
		}),
		new TextLayer<IncidentCluster>({
			id: DISPATCH_LAYER_IDS.clusterLabels,
			data: clusters,
			getPosition: (c) => c.position,
			// How many in the cluster still wait for a dispatcher, of how many (the ring says whether any do).
			getText: (c) => `${c.unacknowledged}/${c.count}`,
			getSize: 14,
			getColor: WHITE,
			fontWeight: 700,
			outlineWidth: 2,
			outlineColor: [15, 23, 42, 255],
			fontSettings: { sdf: true },
			getTextAnchor: 'middle',
			getAlignmentBaseline: 'center'
		})
	];
	return { under, over };
}

/**
 * Unacknowledged incidents drawn on their own, and clusters holding some, by the severity they
 * pulse with (a cluster's worst unacknowledged one): the data of the pulse layers, fixed between frames.
 */
export function pulseGroups(
	incidents: readonly IncidentSummary[],
	clusters: readonly IncidentCluster[]
): Record<Severity, PulseTarget[]> {
	const groups: Record<Severity, PulseTarget[]> = { critical: [], high: [], medium: [], low: [] };
	for (const incident of incidents)
		if (isUnacknowledged(incident))
			groups[incident.severity].push({
				position: incident.location,
				radius: incidentRadius(incident)
			});
	for (const cluster of clusters)
		if (cluster.waitingSeverity)
			groups[cluster.waitingSeverity].push({
				position: cluster.position,
				radius: clusterRadius(cluster)
			});
	return groups;
}

/**
 * Halos around the pulse targets at time `t` (ms): each grows to 2.6× and fades within its
 * severity's period. With `still` (prefers-reduced-motion) it is a steady ring instead.
 */
export function buildPulseLayers(
	groups: Record<Severity, PulseTarget[]>,
	t: number,
	still: boolean
): Layer[] {
	return SEVERITIES.filter((severity) => groups[severity].length > 0).map((severity) => {
		const phase = still ? 0.35 : (t % PULSE_PERIOD_MS[severity]) / PULSE_PERIOD_MS[severity];
		return new ScatterplotLayer<PulseTarget>({
			id: `${DISPATCH_LAYER_IDS.pulse}-${severity}`,
			data: groups[severity],
			pickable: false,
			filled: false,
			stroked: true,
			getPosition: pulsePosition,
			getLineColor: SEVERITY_COLORS[severity],
			getRadius: pulseRadius,
			getLineWidth: 3,
			radiusUnits: 'pixels',
			lineWidthUnits: 'pixels',
			radiusScale: 1 + 1.6 * phase,
			opacity: 0.9 * (1 - phase)
		});
	});
}
