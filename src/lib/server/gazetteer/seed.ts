/**
 * The gazetteer's first load: the reviewed readings, the district's regions (district, streets,
 * communities, with their official names, codes and outlines) as approved administrative names, and
 * a small hand-checked list of real roads, hills, waters, parks and landmarks of Siming. Those are
 * approximate points placed by hand from public maps (geom_precision 'approximate'), for orientation
 * and search only, never for measuring. Runs once per district (nothing is loaded while the district
 * has names) and is called from the services' seed path and the integration tests.
 */
import type { Geometry } from 'geojson';
import { classCodeOf, type PlaceClassKey } from '../../gazetteer/classes';
import { DEFAULT_READINGS } from '../../gazetteer/pinyin';
import type { PlaceRecord } from '../../gazetteer/record';
import type { Sql } from '../db/client';
import { completeRecord, insertApproved, loadReadings } from './places';

const SEED_ACTOR = 'seed';

/** [name, class, lon, lat, former name?]: approximate positions, WGS-84, read off public maps. */
const SIMING_PLACES: [string, PlaceClassKey, number, number, string?][] = [
	['中山路', 'road', 118.0812, 24.4585],
	['思明南路', 'road', 118.0925, 24.447],
	['思明北路', 'road', 118.088, 24.465],
	['鹭江道', 'road', 118.078, 24.46],
	['厦禾路', 'road', 118.1, 24.472],
	['湖滨南路', 'road', 118.115, 24.475],
	['湖滨北路', 'road', 118.11, 24.489],
	['莲前西路', 'road', 118.145, 24.478],
	['莲前东路', 'road', 118.175, 24.478],
	['环岛路', 'road', 118.13, 24.432],
	['演武路', 'road', 118.095, 24.44],
	['大学路', 'road', 118.088, 24.447],
	['镇海路', 'road', 118.085, 24.456],
	['公园南路', 'road', 118.093, 24.462],
	['开元路', 'road', 118.083, 24.462],
	['龙头路', 'road', 118.07, 24.448],
	['文曾路', 'road', 118.11, 24.455],
	['斗西路', 'road', 118.115, 24.471],
	['禾祥西路', 'road', 118.097, 24.475],
	['万石山', 'mountain', 118.102, 24.457],
	['鸿山', 'mountain', 118.088, 24.453],
	['虎头山', 'mountain', 118.087, 24.468],
	['仙岳山', 'mountain', 118.118, 24.5],
	['云顶岩', 'mountain', 118.147, 24.464],
	['五老峰', 'mountain', 118.099, 24.444],
	['日光岩', 'mountain', 118.0675, 24.446],
	['筼筜湖', 'water', 118.1, 24.484, '筼筜港'],
	['湖边水库', 'water', 118.158, 24.486],
	['中山公园', 'park', 118.094, 24.465],
	['白鹭洲公园', 'park', 118.108, 24.478],
	['皓月园', 'park', 118.076, 24.446],
	['菽庄花园', 'park', 118.07, 24.442],
	['胡里山炮台', 'landmark', 118.106, 24.433],
	['南普陀寺', 'landmark', 118.096, 24.447],
	['鼓浪屿', 'landmark', 118.068, 24.447],
	['厦门大学', 'facility', 118.098, 24.438]
];

interface RegionRow {
	code: string;
	level: 'district' | 'street' | 'community';
	name: string;
	geometry: Geometry;
}

export async function seedReadings(sql: Sql): Promise<void> {
	for (const entry of DEFAULT_READINGS)
		await sql`
			insert into place_name_readings (word, reading, note) values (${entry.word}, ${entry.reading}, ${entry.note ?? null})
			on conflict (word) do nothing`;
}

/** Loads the district's names once; returns how many were written. */
export async function seedGazetteer(sql: Sql, districtCode: string): Promise<number> {
	await seedReadings(sql);
	const [present] = await sql`select 1 from place_names where district_code = ${districtCode} limit 1`;
	if (present) return 0;
	const regions = await sql<RegionRow[]>`
		select code, level, name, st_asgeojson(geom, 6)::json as geometry from regions
		where starts_with(code, ${districtCode}) and geom is not null order by code`;
	if (!regions.length) return 0;
	const readings = await loadReadings(sql);
	const records: [PlaceRecord, string][] = [];
	for (const region of regions) {
		const classCode = region.level === 'community' ? classCodeOf('community') : classCodeOf('administrative');
		const record = await completeRecord(
			sql,
			districtCode,
			{
				standardName: region.name,
				classCode,
				geometry: region.geometry,
				regionCode: region.code,
				geomPrecision: 'region'
			},
			null,
			readings
		);
		records.push([record, `region:${region.code}`]);
	}
	if (districtCode === '350203')
		for (const [name, key, lon, lat, former] of SIMING_PLACES) {
			const record = await completeRecord(
				sql,
				districtCode,
				{
					standardName: name,
					classCode: classCodeOf(key),
					geometry: { type: 'Point', coordinates: [lon, lat] },
					geomPrecision: 'approximate',
					aliases: former ? [{ name: former, kind: 'former' }] : []
				},
				null,
				readings
			);
			records.push([record, `seed:${districtCode}:${name}`]);
		}
	let written = 0;
	await sql.begin(async (tx) => {
		for (const [record, key] of records)
			if (await insertApproved(tx as unknown as Sql, districtCode, record, key, SEED_ACTOR)) written++;
	});
	return written;
}
