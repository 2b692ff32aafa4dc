/**
 * Runs one import end to end: parse the file with the pure reader of its kind, check each record
 * against the database (official codes, inside the district), write the good ones idempotently on
 * their stable ids, and record the run with every rejected row and its reason in import_runs, and
 * who ran it in the audit log. A dry run does everything except the writes (the run itself is still
 * recorded).
 */
import path from 'node:path';
import type { Crs } from '../../geo/crs';
import { recordAudit } from '../audit/audit-log';
import { saveWalkNetwork } from '../coverage/walk-network-store';
import type { Sql } from '../db/client';
import { parseBoundaryGeoJson, parseBoundaryShapefileZip, type BoundaryRecord } from './boundaries';
import {
	parseDevicesCsv,
	parseFacilitiesCsv,
	parseHouseholdsCsv,
	parsePopulationCellsCsv
} from './csv-records';
import {
	issueNewCredential,
	registerDevice,
	saveHousehold,
	updateDeviceSettings,
	type RegisteredDevice
} from '../devices/registry';
import { DISTRICT_TOLERANCE_M, insideDistrict } from './inside-district';
import type { ParseResult, Rejected } from './import-result';
import { readOsm, detectOsmFormat } from './openstreetmap/read-osm';
import { eldercareAmenities } from './openstreetmap/amenities';
import { buildWalkNetwork, connectedComponents } from './openstreetmap/walk-network';

export const IMPORT_KINDS = [
	'boundaries',
	'osm',
	'facilities',
	'population',
	'households',
	'devices'
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type Provenance = 'official' | 'derived' | 'modelled';

export interface ImportRequest {
	kind: ImportKind;
	fileName: string;
	bytes: Uint8Array;
	crs: Crs;
	districtCode: string;
	dryRun: boolean;
	/** What the file is; boundaries, facilities and population default to official, OSM is derived. */
	provenance?: Provenance;
	/** Who runs the import, for the audit log (the CLI says `cli:<user>@<host>`). */
	actor?: string;
}

export interface ImportReport {
	runId: number;
	kind: ImportKind;
	fileName: string;
	dryRun: boolean;
	accepted: number;
	rejected: Rejected[];
	summary: Record<string, string | number>;
	/**
	 * The passwords of the devices this run registered or gave a new password: the only copy, never
	 * stored in import_runs; the caller hands them to the operator once.
	 */
	credentials: RegisteredDevice[];
}

/** An extract must have at least this share of its walkable nodes near the district to be used for it. */
const MIN_SHARE_NEAR_DISTRICT = 0.5;

export class ImportError extends Error {
	readonly code = 'IMPORT_INVALID';
}

export async function runImport(sql: Sql, request: ImportRequest): Promise<ImportReport> {
	const startedAt = new Date();
	const [district] =
		await sql`select 1 from regions where code = ${request.districtCode} and geom is not null`;
	if (!district)
		throw new ImportError(
			`district ${request.districtCode} is not in the database; start the platform once first`
		);
	const outcome = await IMPORTERS[request.kind](sql, request);
	const rejected = outcome.rejected.sort((a, b) => a.row - b.row);
	const fileName = path.basename(request.fileName);
	const id = await sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const [run]: { id: string }[] = await tx`
			insert into import_runs (kind, file_name, crs, district_code, dry_run, accepted, rejected, rejections, summary, started_at)
			values (${request.kind}, ${fileName}, ${request.crs}, ${request.districtCode},
				${request.dryRun}, ${outcome.accepted}, ${rejected.length}, ${tx.json(rejected as never)},
				${tx.json(outcome.summary)}, ${startedAt})
			returning id`;
		await recordAudit(tx, {
			actor: request.actor ?? 'cli',
			action: 'import.run',
			subjectType: 'import',
			subjectId: run.id,
			districtCode: request.districtCode,
			detail: { kind: request.kind, fileName, dryRun: request.dryRun, accepted: outcome.accepted }
		});
		return run.id;
	});
	return {
		runId: Number(id),
		kind: request.kind,
		fileName: request.fileName,
		dryRun: request.dryRun,
		accepted: outcome.accepted,
		rejected,
		summary: outcome.summary,
		credentials: outcome.credentials ?? []
	};
}

interface Outcome {
	accepted: number;
	rejected: Rejected[];
	summary: Record<string, string | number>;
	credentials?: RegisteredDevice[];
}

type Importer = (sql: Sql, request: ImportRequest) => Promise<Outcome>;

const text = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);

/** Runs `write` in a transaction unless this is a dry run. */
async function writeUnlessDry(sql: Sql, request: ImportRequest, write: (tx: Sql) => Promise<void>) {
	if (request.dryRun) return;
	await sql.begin((tx) => write(tx as unknown as Sql));
}

/**
 * Keeps the records whose position lies in the district; each other one becomes a rejection saying
 * what lies outside (`what` names it: "position", "home", ...).
 */
async function keepInsideDistrict<T extends { row: number }>(
	sql: Sql,
	request: ImportRequest,
	records: T[],
	positionOf: (record: T) => [number, number],
	what: string,
	rejected: Rejected[]
): Promise<T[]> {
	const inside = await insideDistrict(sql, request.districtCode, records.map(positionOf));
	return records.filter((record, i) => {
		if (inside[i]) return true;
		rejected.push({
			row: record.row,
			reason: `${what} ${positionOf(record).join(',')} lies outside district ${request.districtCode}`
		});
		return false;
	});
}

const importBoundaries: Importer = async (sql, request) => {
	const options = { crs: request.crs };
	const parsed: ParseResult<BoundaryRecord> = /\.zip$/i.test(request.fileName)
		? await parseBoundaryShapefileZip(request.bytes, options)
		: parseBoundaryGeoJson(text(request.bytes), options);
	const rejected = [...parsed.rejected];
	const known = new Set(
		(
			await sql<{ code: string }[]>`select code from regions where starts_with(code, ${request.districtCode})`
		).map((row) => row.code)
	);
	const good: BoundaryRecord[] = [];
	for (const record of parsed.accepted) {
		if (!known.has(record.code)) {
			rejected.push({
				row: record.row,
				reason: `code ${record.code} is not in the official register of district ${request.districtCode}`
			});
			continue;
		}
		const [{ inside }] = await sql<{ inside: boolean }[]>`
			select st_covers(st_buffer(d.geom::geography, ${DISTRICT_TOLERANCE_M})::geometry,
				st_setsrid(st_geomfromgeojson(${JSON.stringify(record.geometry)}), 4326)) as inside
			from regions d where d.code = ${request.districtCode}`;
		if (!inside) {
			rejected.push({
				row: record.row,
				reason: `${record.code} lies outside district ${request.districtCode}`
			});
			continue;
		}
		good.push(record);
	}
	const source = `imported from ${path.basename(request.fileName)}`;
	await writeUnlessDry(sql, request, async (tx) => {
		for (const record of good) {
			await tx`
				update regions set
					geom = st_multi(st_setsrid(st_geomfromgeojson(${JSON.stringify(record.geometry)}), 4326)),
					label_point = st_pointonsurface(st_setsrid(st_geomfromgeojson(${JSON.stringify(record.geometry)}), 4326)),
					geom_source = ${source}, geom_precision_m = null,
					provenance = ${request.provenance ?? 'official'}, updated_at = now()
				where code = ${record.code}`;
		}
	});
	return { accepted: good.length, rejected, summary: { regions: good.length } };
};

const importFacilities: Importer = async (sql, request) => {
	const parsed = parseFacilitiesCsv(text(request.bytes), { crs: request.crs });
	const rejected = [...parsed.rejected];
	const located = parsed.accepted.filter((record) => {
		if (record.position) return true;
		rejected.push({
			row: record.row,
			reason: 'no lon/lat, and addresses cannot be geocoded yet (no standard-address register); give lon,lat'
		});
		return false;
	});
	const good = await keepInsideDistrict(sql, request, located, (r) => r.position!, 'position', rejected);
	const source = `imported from ${path.basename(request.fileName)}`;
	await writeUnlessDry(sql, request, async (tx) => {
		for (const r of good) {
			await upsertFacility(tx, request.districtCode, {
				...r,
				position: r.position!,
				locationSource: source,
				provenance: request.provenance ?? 'official'
			});
		}
	});
	return { accepted: good.length, rejected, summary: { facilities: good.length } };
};

interface FacilityRow {
	externalId: string;
	name: string;
	kind: string;
	status: string;
	beds: number;
	nursingBeds: number;
	openedOn: string | null;
	regionCode: string | null;
	address: string | null;
	position: [number, number];
	locationSource: string;
	provenance: Provenance;
}

/** Inserts or updates a facility by its external id; without a region code it joins the nearest community. */
async function upsertFacility(tx: Sql, districtCode: string, r: FacilityRow): Promise<void> {
	const point = tx`st_setsrid(st_makepoint(${r.position[0]}, ${r.position[1]}), 4326)`;
	await tx`
		insert into facilities (external_id, name, kind, status, beds, nursing_beds, opened_on, region_code, address,
			geom, location_source, location_precision_m, provenance)
		values (${r.externalId}, ${r.name}, ${r.kind}, ${r.status}, ${r.beds}, ${r.nursingBeds}, ${r.openedOn},
			coalesce(${r.regionCode}::text, (select code from regions where level = 'community'
				and starts_with(code, ${districtCode}) order by geom <-> ${point} limit 1)),
			${r.address}, ${point}, ${r.locationSource}, null, ${r.provenance})
		on conflict (external_id) do update set
			name = excluded.name, kind = excluded.kind, status = excluded.status, beds = excluded.beds,
			nursing_beds = excluded.nursing_beds, opened_on = excluded.opened_on, region_code = excluded.region_code,
			address = excluded.address, geom = excluded.geom, location_source = excluded.location_source,
			location_precision_m = excluded.location_precision_m, provenance = excluded.provenance, updated_at = now()`;
}

const importPopulation: Importer = async (sql, request) => {
	const parsed = parsePopulationCellsCsv(text(request.bytes), { crs: request.crs });
	const rejected = [...parsed.rejected];
	const good = await keepInsideDistrict(
		sql,
		request,
		parsed.accepted,
		(r) => r.position,
		'cell centre',
		rejected
	);
	const fileSource = `imported from ${path.basename(request.fileName)}`;
	await writeUnlessDry(sql, request, async (tx) => {
		for (const r of good) {
			const centre = tx`st_setsrid(st_makepoint(${r.position[0]}, ${r.position[1]}), 4326)`;
			await tx`
				insert into population_cells (cell_id, district_code, region_code, centre, elderly, total, provenance, source)
				values (${r.cellId}, ${request.districtCode},
					(select code from regions where level = 'community' and starts_with(code, ${request.districtCode})
						order by geom <-> ${centre} limit 1),
					${centre}, ${r.elderly}, ${r.total}, ${request.provenance ?? 'official'}, ${r.source ?? fileSource})
				on conflict (cell_id) do update set
					region_code = excluded.region_code, centre = excluded.centre, geom = null, elderly = excluded.elderly,
					total = excluded.total, provenance = excluded.provenance, source = excluded.source, updated_at = now()`;
		}
	});
	return { accepted: good.length, rejected, summary: { cells: good.length } };
};

const importOsm: Importer = async (sql, request) => {
	const started = performance.now();
	const osm = readOsm(request.bytes, detectOsmFormat(request.fileName));
	// Arterials in Chinese cities nearly always have sidewalks that OSM leaves untagged.
	const network = buildWalkNetwork(osm, { assumeSidewalks: true });
	const builtMs = Math.round(performance.now() - started);
	const components = connectedComponents(network);
	const inside = await insideDistrict(
		sql,
		request.districtCode,
		network.nodes.map((n) => [n.lon, n.lat])
	);
	const near = inside.filter(Boolean).length;
	if (network.nodes.length === 0 || near / network.nodes.length < MIN_SHARE_NEAR_DISTRICT) {
		throw new ImportError(
			`${path.basename(request.fileName)} does not cover district ${request.districtCode}: ${near} of ${network.nodes.length} walkable nodes lie in it`
		);
	}
	const amenities = eldercareAmenities(osm.pois);
	const amenityInside = await insideDistrict(
		sql,
		request.districtCode,
		amenities.map((a) => [a.lon, a.lat])
	);
	const places = amenities.filter((_, i) => amenityInside[i]);
	const name = `osm: ${path.basename(request.fileName)}`;
	await writeUnlessDry(sql, request, async (tx) => {
		for (const place of places) {
			await upsertFacility(tx, request.districtCode, {
				externalId: `osm:node/${place.osmId}`,
				name: place.name,
				kind: place.kind,
				status: 'open',
				beds: place.beds,
				nursingBeds: 0,
				openedOn: null,
				regionCode: null,
				address: null,
				position: [place.lon, place.lat],
				locationSource: `OpenStreetMap node ${place.osmId} in ${path.basename(request.fileName)}`,
				provenance: request.provenance ?? 'derived'
			});
		}
	});
	if (!request.dryRun) {
		await saveWalkNetwork(sql, {
			districtCode: request.districtCode,
			name,
			provenance: request.provenance ?? 'derived',
			source: `OpenStreetMap extract ${path.basename(request.fileName)} (© OpenStreetMap contributors, ODbL 1.0)`,
			nodes: network.nodes.map((n) => ({ lon: n.lon, lat: n.lat, sourceId: n.osmId })),
			edges: network.edges.map((e) => ({
				from: e.from,
				to: e.to,
				lengthM: e.lengthM,
				kind: e.kind,
				seconds: e.seconds ?? null,
				sourceWay: e.wayId,
				coords: e.coords
			})),
			activate: true
		});
	}
	return {
		accepted: network.edges.length,
		rejected: [],
		summary: {
			network: name,
			nodes: network.nodes.length,
			edges: network.edges.length,
			ferryEdges: network.edges.filter((e) => e.kind === 'ferry').length,
			components: new Set(components).size,
			walkableWays: network.stats.walkableWays,
			facilities: places.length,
			skippedWays: network.stats.skippedWays,
			buildMs: builtMs
		}
	};
};

/**
 * Elderly clients' households: personal data, so never written without the resident's recorded
 * consent flag. An external id already on record is updated, keeping what the line leaves empty; one
 * that a household of another district has is refused (the district's import does not reach there).
 */
const importHouseholds: Importer = async (sql, request) => {
	const parsed = parseHouseholdsCsv(text(request.bytes), { crs: request.crs });
	const rejected = [...parsed.rejected];
	const inside = await keepInsideDistrict(sql, request, parsed.accepted, (r) => r.position, 'home', rejected);
	const onRecord = new Map(
		(
			await sql<{ externalId: string; districtCode: string }[]>`
				select external_id, district_code from households
				where external_id = any(${sql.array(inside.map((r) => r.externalId))}::text[])`
		).map((h) => [h.externalId, h.districtCode])
	);
	const good = inside.filter((record) => {
		const district = onRecord.get(record.externalId);
		if (district === undefined || district === request.districtCode) return true;
		rejected.push({
			row: record.row,
			reason: `external_id ${record.externalId} is a household of another district, not of ${request.districtCode}`
		});
		return false;
	});
	await writeUnlessDry(sql, request, async (tx) => {
		for (const r of good) {
			await saveHousehold(tx, {
				externalId: r.externalId,
				districtCode: request.districtCode,
				residentName: r.residentName,
				phone: r.phone,
				address: r.address,
				location: r.position,
				riskLevel: r.riskLevel,
				emergencyContacts: r.emergencyContacts,
				consent: r.consent
			});
		}
	});
	const updated = good.filter((r) => onRecord.has(r.externalId)).length;
	return {
		accepted: good.length,
		rejected,
		summary: { households: good.length, added: good.length - updated, updated }
	};
};

/**
 * Home-care devices of the district's households. A new device gets a fresh password; one already
 * registered keeps its password unless its line says new_credential=yes. Retired ids are refused:
 * their history stays theirs. So is a device of another district's household: its line is refused,
 * never moved here nor given a new password.
 */
const importDevices: Importer = async (sql, request) => {
	const parsed = parseDevicesCsv(text(request.bytes));
	const rejected = [...parsed.rejected];
	const households = new Map(
		(
			await sql<{ id: string; externalId: string }[]>`
				select id, external_id from households where district_code = ${request.districtCode}
					and external_id = any(${sql.array(parsed.accepted.map((r) => r.householdExternalId))}::text[])`
		).map((h) => [h.externalId, Number(h.id)])
	);
	const registered = new Map(
		(
			await sql<{ id: string; retired: boolean; districtCode: string }[]>`
				select d.id, d.retired_at is not null as retired, h.district_code
				from devices d join households h on h.id = d.household_id
				where d.id = any(${sql.array(parsed.accepted.map((r) => r.deviceId))}::text[])`
		).map((d) => [d.id, d])
	);
	const good = parsed.accepted.filter((record) => {
		const device = registered.get(record.deviceId);
		const reason = !households.has(record.householdExternalId)
			? `household_external_id ${record.householdExternalId} is not a household of district ${request.districtCode}`
			: device && device.districtCode !== request.districtCode
				? `device ${record.deviceId} is registered in another district, not in ${request.districtCode}`
				: device?.retired
					? `device ${record.deviceId} is retired; a retired id is not used again`
					: null;
		if (reason) rejected.push({ row: record.row, reason });
		return reason === null;
	});
	const isNew = (r: (typeof good)[number]) => !registered.has(r.deviceId);
	const credentials: RegisteredDevice[] = [];
	const owner = { ofDistrict: request.districtCode };
	await writeUnlessDry(sql, request, async (tx) => {
		for (const r of good) {
			const settings = { kind: r.kind, heartbeatS: r.heartbeatS, firmware: r.firmware };
			const householdId = households.get(r.householdExternalId)!;
			if (isNew(r)) {
				credentials.push(await registerDevice(tx, { id: r.deviceId, householdId, ...settings }));
				continue;
			}
			// Checked above; a device retired or moved to another district since then ends the run, unwritten.
			const changed = `device ${r.deviceId} changed during the import; run it again`;
			if (!(await updateDeviceSettings(tx, r.deviceId, { ...settings, householdId, ...owner })))
				throw new ImportError(changed);
			if (!r.newCredential) continue;
			const credential = await issueNewCredential(tx, r.deviceId, owner);
			if (!credential) throw new ImportError(changed);
			credentials.push(credential);
		}
	});
	const added = good.filter(isNew).length;
	return {
		accepted: good.length,
		rejected,
		summary: {
			devices: good.length,
			added,
			updated: good.length - added,
			newCredentials: good.filter((r) => isNew(r) || r.newCredential).length
		},
		credentials
	};
};

const IMPORTERS: Record<ImportKind, Importer> = {
	households: importHouseholds,
	devices: importDevices,
	boundaries: importBoundaries,
	osm: importOsm,
	facilities: importFacilities,
	population: importPopulation
};
