/**
 * Loads a district's shipped dataset (geo/<folder>/: regions, facilities, population cells) into the
 * database. Runs only while the district is absent, so it never overwrites geometry imported or
 * edited later; rows are keyed on their stable codes / external ids.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureCollection, Point } from 'geojson';
import { saveWalkNetwork } from '../coverage/walk-network-store';
import type { Sql } from '../db/client';

export const GEO_DIR = path.resolve(import.meta.dirname, '../../../../geo');

export interface SeedResult {
	regions: number;
	facilities: number;
	populationCells: number;
	walkEdges: number;
}

interface ShippedWalkNetwork {
	provenance: 'modelled';
	source: string;
	nodes: [number, number][];
	/** [from, to, length in metres, ferry seconds or 0] */
	edges: [number, number, number, number][];
}

interface CellCollection extends FeatureCollection<Point, { cellId: string; elderly: number }> {
	cellSizeM: number;
	provenance: string;
	source: string;
}

/** The folder under geo/ whose sources.json names this district code, if any. */
export async function findDistrictFolder(
	districtCode: string,
	geoDir: string = GEO_DIR
): Promise<string | undefined> {
	for (const entry of await readdir(geoDir, { withFileTypes: true })) {
		if (!entry.isDirectory()) continue;
		try {
			const sources = JSON.parse(await readFile(path.join(geoDir, entry.name, 'sources.json'), 'utf8'));
			if (sources.districtCode === districtCode) return path.join(geoDir, entry.name);
		} catch {
			// A folder without sources.json (e.g. tools/) is not a district.
		}
	}
	return undefined;
}

async function readJson<T>(file: string): Promise<T> {
	return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Seeds the district when it is not in the database yet and its files exist; returns what was written. */
export async function seedDistrict(
	sql: Sql,
	districtCode: string,
	geoDir: string = GEO_DIR
): Promise<SeedResult> {
	const none = { regions: 0, facilities: 0, populationCells: 0, walkEdges: 0 };
	const [present] = await sql`select 1 from regions where code = ${districtCode}`;
	if (present) return none;
	const folder = await findDistrictFolder(districtCode, geoDir);
	if (!folder) return none;
	const regions = await readJson<FeatureCollection>(path.join(folder, 'regions.geojson'));
	const facilities = await readJson<FeatureCollection>(path.join(folder, 'facilities.geojson'));
	const cells = await readJson<CellCollection>(path.join(folder, 'population-cells.geojson'));

	const levelOrder: Record<string, number> = { district: 0, street: 1, community: 2 };
	const ordered = [...regions.features].sort(
		(a, b) => levelOrder[a.properties?.level] - levelOrder[b.properties?.level]
	);
	await sql.begin(async (tx) => {
		for (const feature of ordered) {
			const p = feature.properties ?? {};
			await tx`
				insert into regions (code, level, name, short_name, parent_code, geom, label_point, geom_source,
					geom_precision_m, provenance)
				values (${p.code}, ${p.level}, ${p.name}, ${p.shortName}, ${p.parentCode},
					st_multi(st_setsrid(st_geomfromgeojson(${JSON.stringify(feature.geometry)}), 4326)),
					st_setsrid(st_makepoint(${p.labelPoint[0]}, ${p.labelPoint[1]}), 4326),
					${p.geomSource}, ${p.geomPrecisionM}, ${p.provenance})
				on conflict (code) do nothing`;
		}
		for (const feature of facilities.features) {
			const p = feature.properties ?? {};
			await tx`
				insert into facilities (external_id, name, kind, status, beds, nursing_beds, region_code, geom,
					location_source, location_precision_m, provenance, notes)
				values (${p.externalId}, ${p.name}, ${p.kind}, ${p.status}, ${p.beds}, ${p.nursingBeds}, ${p.regionCode},
					st_setsrid(st_geomfromgeojson(${JSON.stringify(feature.geometry)}), 4326),
					${p.locationSource}, ${p.locationPrecisionM}, ${p.provenance}, ${p.notes})
				on conflict (external_id) do nothing`;
		}
		await insertPopulationCells(tx as unknown as Sql, districtCode, cells);
	});
	const network = await readJson<ShippedWalkNetwork>(path.join(folder, 'walk-network.json'));
	await saveWalkNetwork(sql, {
		districtCode,
		name: 'modelled lattice',
		provenance: network.provenance,
		source: network.source,
		nodes: network.nodes.map(([lon, lat]) => ({ lon, lat })),
		edges: network.edges.map(([from, to, lengthM, seconds]) => ({
			from,
			to,
			lengthM,
			kind: seconds > 0 ? 'ferry' : 'walk',
			seconds: seconds > 0 ? seconds : null
		})),
		activate: true
	});
	return {
		regions: ordered.length,
		facilities: facilities.features.length,
		populationCells: cells.features.length,
		walkEdges: network.edges.length
	};
}

/** One statement for all cells: square cells of `cellSizeM` around each centre, in their community. */
async function insertPopulationCells(sql: Sql, districtCode: string, cells: CellCollection): Promise<void> {
	const features = cells.features;
	await sql`
		insert into population_cells (cell_id, district_code, region_code, geom, centre, elderly, provenance, source)
		select c.cell_id, ${districtCode},
			(select r.code from regions r
				where r.level = 'community' and starts_with(r.code, ${districtCode})
				order by r.geom <-> c.centre limit 1),
			st_setsrid(st_makeenvelope(
				c.lon - ${cells.cellSizeM} / 2.0 / (111320 * cos(radians(c.lat))), c.lat - ${cells.cellSizeM} / 2.0 / 110574,
				c.lon + ${cells.cellSizeM} / 2.0 / (111320 * cos(radians(c.lat))), c.lat + ${cells.cellSizeM} / 2.0 / 110574), 4326),
			c.centre, c.elderly, ${cells.provenance}, ${cells.source}
		from (
			select id as cell_id, lon, lat, elderly, st_setsrid(st_makepoint(lon, lat), 4326) as centre
			from unnest(
				${sql.array(features.map((f) => f.properties.cellId))}::text[],
				${sql.array(features.map((f) => f.geometry.coordinates[0]))}::float8[],
				${sql.array(features.map((f) => f.geometry.coordinates[1]))}::float8[],
				${sql.array(features.map((f) => f.properties.elderly))}::float8[]
			) as u(id, lon, lat, elderly)
		) c
		on conflict (cell_id) do nothing`;
}
