/**
 * Loads a district's regions and facilities from geo/<code>/*.geojson into the database.
 * Runs only while the district is absent, so it never overwrites geometry imported or edited later;
 * rows are keyed on their stable codes / external ids.
 */
import { readFile, access } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureCollection } from 'geojson';
import type { Sql } from '../db/client';

export const GEO_DIR = path.resolve(import.meta.dirname, '../../../../geo');

export interface SeedResult {
	regions: number;
	facilities: number;
}

async function readCollection(file: string): Promise<FeatureCollection | undefined> {
	try {
		await access(file);
	} catch {
		return undefined;
	}
	return JSON.parse(await readFile(file, 'utf8')) as FeatureCollection;
}

/** Seeds the district when it is not in the database yet and its files exist; returns what was written. */
export async function seedDistrict(
	sql: Sql,
	districtCode: string,
	geoDir: string = GEO_DIR
): Promise<SeedResult> {
	const [present] = await sql`select 1 from regions where code = ${districtCode}`;
	if (present) return { regions: 0, facilities: 0 };
	const regions = await readCollection(path.join(geoDir, districtCode, 'regions.geojson'));
	const facilities = await readCollection(path.join(geoDir, districtCode, 'facilities.geojson'));
	if (!regions) return { regions: 0, facilities: 0 };
	const levelOrder = { district: 0, street: 1, community: 2 } as Record<string, number>;
	const ordered = [...regions.features].sort(
		(a, b) => levelOrder[a.properties?.level] - levelOrder[b.properties?.level]
	);
	await sql.begin(async (tx) => {
		for (const feature of ordered) {
			const p = feature.properties ?? {};
			await tx`
				insert into regions (code, level, name, short_name, parent_code, geom, label_point, geom_source, geom_precision_m)
				values (${p.code}, ${p.level}, ${p.name}, ${p.shortName}, ${p.parentCode},
					st_multi(st_setsrid(st_geomfromgeojson(${JSON.stringify(feature.geometry)}), 4326)),
					st_setsrid(st_makepoint(${p.labelPoint[0]}, ${p.labelPoint[1]}), 4326),
					${p.geomSource}, ${p.geomPrecisionM})
				on conflict (code) do nothing`;
		}
		for (const feature of facilities?.features ?? []) {
			const p = feature.properties ?? {};
			await tx`
				insert into facilities (external_id, name, kind, status, beds, nursing_beds, region_code, geom, location_source, location_precision_m)
				values (${p.externalId}, ${p.name}, ${p.kind}, ${p.status}, ${p.beds ?? 0}, ${p.nursingBeds ?? 0}, ${p.regionCode},
					st_setsrid(st_geomfromgeojson(${JSON.stringify(feature.geometry)}), 4326),
					${p.locationSource}, ${p.locationPrecisionM})
				on conflict (external_id) do nothing`;
		}
	});
	return { regions: ordered.length, facilities: facilities?.features.length ?? 0 };
}
