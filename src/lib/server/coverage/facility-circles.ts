/**
 * Each open facility's walking circle (the 15-minute eldercare circle by default) on the district's
 * active walking network, kept in facility_isochrones: computed for the facilities that have no
 * fresh row (new, moved or reopened since, or a new network), read back from the table otherwise.
 * The straight-line circle of the same time is only a comparison, labelled as such. Called by the
 * facility-circles API route.
 */
import type { CircleMethod, FacilityCircleCollection } from '../../geo/features';
import { ELDERLY_SPEED_MPS, walkingArea } from '../../routing/walking-area';
import type { Sql } from '../db/client';
import { walkGraphOf } from '../routing/walk-graph-store';

export const DEFAULT_CIRCLE_MINUTES = 15;
export const MAX_CIRCLE_MINUTES = 60;

export interface CircleOptions {
	/** A whole number of minutes, 1…60. */
	minutes?: number;
	speedMps?: number;
	method?: CircleMethod;
}

export type CircleQuery =
	| { ok: true; minutes: number; method: CircleMethod }
	| { ok: false; code: 'INVALID_MINUTES' | 'INVALID_COMPARISON'; message: string };

/** Reads `minutes` (default 15) and `comparison` (absent, or `euclidean`) from a request's query. */
export function circleQuery(params: URLSearchParams): CircleQuery {
	const text = params.get('minutes');
	const minutes = text === null ? DEFAULT_CIRCLE_MINUTES : /^\d+$/.test(text) ? Number(text) : NaN;
	if (!isCircleMinutes(minutes))
		return {
			ok: false,
			code: 'INVALID_MINUTES',
			message: `minutes must be a whole number from 1 to ${MAX_CIRCLE_MINUTES}`
		};
	const comparison = params.get('comparison');
	if (comparison !== null && comparison !== 'euclidean')
		return { ok: false, code: 'INVALID_COMPARISON', message: 'comparison can only be euclidean' };
	return { ok: true, minutes, method: comparison ?? 'network' };
}

const isCircleMinutes = (minutes: number) =>
	Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_CIRCLE_MINUTES;

/** Computations under way, by network, minutes and speed: two requests at once compute once. */
const storing = new Map<string, Promise<void>>();

/**
 * @returns the circles of the district's open facilities that are on its active network (empty
 *   without a network), shaped by `method`, with both areas on every feature
 */
export async function facilityCircles(
	sql: Sql,
	districtCode: string,
	options: CircleOptions = {}
): Promise<FacilityCircleCollection> {
	const minutes = options.minutes ?? DEFAULT_CIRCLE_MINUTES;
	const speedMps = options.speedMps ?? ELDERLY_SPEED_MPS;
	const method = options.method ?? 'network';
	if (!isCircleMinutes(minutes))
		throw new RangeError(`minutes must be a whole number from 1 to ${MAX_CIRCLE_MINUTES}, not ${minutes}`);
	if (!(speedMps > 0)) throw new RangeError(`speedMps must be positive, not ${speedMps}`);
	const collection: FacilityCircleCollection = {
		type: 'FeatureCollection',
		features: [],
		method,
		minutes,
		speedMps,
		euclideanClip: 'district_outline',
		meanAreaShare: null
	};
	const [network]: { id: string }[] = await sql`
		select id from walk_networks where district_code = ${districtCode} and active`;
	if (!network) return collection;
	const networkId = Number(network.id);
	const key = `${networkId}:${minutes}:${speedMps}`;
	let run = storing.get(key);
	if (!run) {
		run = storeMissingCircles(sql, districtCode, networkId, minutes, speedMps).finally(() =>
			storing.delete(key)
		);
		storing.set(key, run);
	}
	await run;

	const rows = await sql<
		{
			facilityId: string;
			name: string;
			kind: string;
			areaM2: number;
			euclideanAreaM2: number;
			snapM: number;
			geometry: FacilityCircleCollection['features'][number]['geometry'];
		}[]
	>`
		select f.id as facility_id, f.name, f.kind, i.area_m2, i.euclidean_area_m2, i.snap_m,
			st_asgeojson(${method === 'euclidean' ? euclideanCircle(sql, minutes * 60 * speedMps) : sql`i.geom`}, 6)::json
				as geometry
		from facility_isochrones i
		join facilities f on f.id = i.facility_id
		join regions d on d.code = ${districtCode}
		where i.network_id = ${networkId} and i.minutes = ${minutes} and i.speed_mps = ${speedMps}::float8
			and i.computed_at >= f.updated_at and f.status = 'open' and starts_with(f.region_code, ${districtCode})
		order by f.id`;
	for (const row of rows) {
		collection.features.push({
			type: 'Feature',
			geometry: row.geometry,
			properties: {
				facilityId: Number(row.facilityId),
				name: row.name,
				kind: row.kind as never,
				minutes,
				method,
				areaM2: row.areaM2,
				euclideanAreaM2: row.euclideanAreaM2,
				areaShare: row.euclideanAreaM2 > 0 ? row.areaM2 / row.euclideanAreaM2 : null,
				snapM: row.snapM
			}
		});
	}
	const shares = collection.features.flatMap((f) => f.properties.areaShare ?? []);
	collection.meanAreaShare = shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : null;
	return collection;
}

/**
 * The straight-line circle of `radiusM` round facility `f`, clipped to district region `d` (the
 * district outline covers land, not sea), as a MultiPolygon: for queries that join both aliases.
 */
function euclideanCircle(sql: Sql, radiusM: number) {
	return sql`st_multi(st_collectionextract(st_intersection(
		st_buffer(f.geom::geography, ${radiusM}::float8, 'quad_segs=16')::geometry, d.geom), 3))`;
}

/**
 * Computes and upserts, in one statement, the circles of the open facilities without a fresh row.
 * A facility off the network (or with too little time left after reaching it) gets no row, so it is
 * looked at again next time: one snapping search, no Dijkstra.
 */
async function storeMissingCircles(
	sql: Sql,
	districtCode: string,
	networkId: number,
	minutes: number,
	speedMps: number
): Promise<void> {
	const missing = await sql<{ id: string; lon: number; lat: number }[]>`
		select f.id, st_x(f.geom) as lon, st_y(f.geom) as lat from facilities f
		where starts_with(f.region_code, ${districtCode}) and f.status = 'open'
			and not exists (
				select 1 from facility_isochrones i
				where i.facility_id = f.id and i.network_id = ${networkId} and i.minutes = ${minutes}
					and i.speed_mps = ${speedMps}::float8 and i.computed_at >= f.updated_at)
		order by f.id`;
	if (missing.length === 0) return;
	const graph = await walkGraphOf(sql, networkId);
	const circles = missing.flatMap((f) => {
		const reached = walkingArea(graph, [f.lon, f.lat], { speedMps, limitSeconds: minutes * 60 });
		return reached
			? [{ id: f.id, shape: JSON.stringify(reached.area.geometry), snapM: reached.snapMeters }]
			: [];
	});
	if (circles.length === 0) return;
	await sql`
		insert into facility_isochrones
			(facility_id, network_id, minutes, speed_mps, geom, area_m2, euclidean_area_m2, snap_m, computed_at)
		select f.id, ${networkId}, ${minutes}, ${speedMps}::float8, c.geom, st_area(c.geom::geography),
			st_area(${euclideanCircle(sql, minutes * 60 * speedMps)}::geography), u.snap_m, now()
		from unnest(
			${sql.array(circles.map((c) => c.id))}::int8[],
			${sql.array(circles.map((c) => c.shape))}::text[],
			${sql.array(circles.map((c) => c.snapM))}::float8[]
		) as u(facility_id, shape, snap_m)
		join facilities f on f.id = u.facility_id
		join regions d on d.code = ${districtCode}
		cross join lateral (select st_multi(st_setsrid(st_geomfromgeojson(u.shape), 4326)) as geom) c
		on conflict (facility_id, network_id, minutes, speed_mps) do update set
			geom = excluded.geom, area_m2 = excluded.area_m2, euclidean_area_m2 = excluded.euclidean_area_m2,
			snap_m = excluded.snap_m, computed_at = excluded.computed_at`;
}
