/**
 * MapLibre with a deck.gl overlay, as every map page of the app sets it up: loaded lazily in the
 * browser (MapLibre's worker from the bundle, so it runs offline and under the CSP), fitted to the
 * district, with zoom buttons and a metric scale. Map components call it from `onMount` and return
 * what it returns, so the map and overlay are released with the component.
 */
import type { MapboxOverlay, MapboxOverlayProps } from '@deck.gl/mapbox';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { RegionFeature } from '../geo/features';
import { boundsOf } from './bounds';
import { offlineStyle } from './offline-style';

export interface DeckMapOptions {
	container: HTMLElement;
	/** A style URL, or null for the offline style drawn from the district outline. */
	basemapStyle: string | null;
	district: RegionFeature | undefined;
	/** Pixels kept free around the district when fitting it. */
	padding?: number;
	/** The overlay's pointer handlers; they may use the map (to zoom to a cluster, say). */
	handlers: (map: MaplibreMap) => Pick<MapboxOverlayProps, 'onClick' | 'getTooltip' | 'getCursor'>;
	/** Once the style has loaded: the map and the overlay are ready for layers. */
	onload: (map: MaplibreMap, overlay: MapboxOverlay) => void;
	/** Puts the map and overlay on `window.__careCircleMap`, where the browser tests find them. */
	exposeForTests?: boolean;
}

/** Creates the map; returns the function that removes it. */
export function mountDeckMap(options: DeckMapOptions): () => void {
	let disposed = false;
	let map: MaplibreMap | undefined;
	let overlay: MapboxOverlay | undefined;
	(async () => {
		const maplibregl = await import('maplibre-gl');
		const { default: workerUrl } = await import('maplibre-gl/dist/maplibre-gl-worker.mjs?url');
		const { MapboxOverlay } = await import('@deck.gl/mapbox');
		if (disposed) return;
		maplibregl.setWorkerUrl(workerUrl);
		const created = new maplibregl.Map({
			container: options.container,
			style: options.basemapStyle ?? offlineStyle(options.district),
			bounds: options.district ? boundsOf(options.district) : undefined,
			fitBoundsOptions: { padding: options.padding ?? 20 },
			attributionControl: false,
			// Kept so that a screenshot or a print of the page shows the map.
			canvasContextAttributes: { preserveDrawingBuffer: true }
		});
		map = created;
		created.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
		created.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
		const deck = new MapboxOverlay({ interleaved: false, layers: [], ...options.handlers(created) });
		overlay = deck;
		created.addControl(deck);
		created.once('load', () => {
			if (options.exposeForTests)
				(window as unknown as { __careCircleMap?: unknown }).__careCircleMap = {
					map: created,
					overlay: deck
				};
			options.onload(created, deck);
		});
	})();
	return () => {
		disposed = true;
		overlay?.finalize();
		map?.remove();
	};
}
