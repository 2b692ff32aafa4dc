/**
 * Imports end to end against the real database, in a made-up test district (990101, a 2 km square)
 * so they never disturb the shipped Siming data other tests rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listWalkNetworks } from '../../src/lib/server/coverage/walk-network-store';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { ensurePostgis } from '../../src/lib/server/db/postgis';
import { ImportError, runImport, type ImportRequest } from '../../src/lib/server/imports/run-import';
import { inject } from 'vitest';

const DISTRICT = '990101';
const STREET = '990101001';
const COMMUNITY = '990101001001';
const square = (x0: number, y0: number, size: number) =>
	JSON.stringify({
		type: 'MultiPolygon',
		coordinates: [
			[
				[
					[x0, y0],
					[x0 + size, y0],
					[x0 + size, y0 + size],
					[x0, y0 + size],
					[x0, y0]
				]
			]
		]
	});
const bytes = (text: string) => new TextEncoder().encode(text);

let sql: Sql;

function request(
	kind: ImportRequest['kind'],
	fileName: string,
	text: string,
	extra: Partial<ImportRequest> = {}
) {
	return runImport(sql, {
		kind,
		fileName,
		bytes: bytes(text),
		crs: 'wgs84',
		districtCode: DISTRICT,
		dryRun: false,
		...extra
	});
}

async function removeTestDistrict() {
	await sql`delete from walk_networks where district_code = ${DISTRICT}`;
	await sql`delete from population_cells where district_code = ${DISTRICT}`;
	await sql`delete from facilities where starts_with(region_code, ${DISTRICT}) or external_id like 'T-%' or external_id like 'osm:%'`;
	await sql`delete from import_runs where district_code = ${DISTRICT}`;
	await sql`delete from households where district_code = ${DISTRICT}`;
	await sql`delete from regions where starts_with(code, ${DISTRICT}) and level = 'community'`;
	await sql`delete from regions where starts_with(code, ${DISTRICT}) and level = 'street'`;
	await sql`delete from regions where code = ${DISTRICT}`;
}

beforeAll(async () => {
	sql = createSql(inject('databaseUrl'), { max: 1 });
	await ensurePostgis(sql);
	await applyMigrations(sql);
	await removeTestDistrict();
	for (const [code, level, parent, geom] of [
		[DISTRICT, 'district', null, square(118.3, 24.6, 0.02)],
		[STREET, 'street', DISTRICT, square(118.3, 24.6, 0.02)],
		[COMMUNITY, 'community', STREET, square(118.3, 24.6, 0.02)]
	] as const) {
		await sql`
			insert into regions (code, level, name, short_name, parent_code, geom, label_point, geom_source, provenance)
			values (${code}, ${level}, ${'测试' + level}, '测试', ${parent}, st_setsrid(st_geomfromgeojson(${geom}), 4326),
				st_setsrid(st_makepoint(118.31, 24.61), 4326), 'test fixture', 'modelled')`;
	}
});

afterAll(async () => {
	await removeTestDistrict();
	await sql.end();
});

describe('facility CSV import', () => {
	const csv = [
		'external_id,name,kind,status,beds,nursing_beds,lon,lat',
		'T-1,测试养老院,institution,open,100,70,118.305,24.605',
		'T-2,坏床位,institution,open,ten,0,118.306,24.606',
		'T-3,区外设施,community_station,open,0,0,118.5,24.9',
		'T-4,测试服务站,community_station,open,0,0,118.31,24.61'
	].join('\n');

	it('imports the good rows and records every rejected line with its reason', async () => {
		const report = await request('facilities', 'facilities.csv', csv);
		expect(report.accepted).toBe(2);
		expect(report.rejected.map((r) => r.row)).toEqual([3, 4]);
		expect(report.rejected[1].reason).toMatch(/outside district 990101/);
		const [run] =
			await sql`select accepted, rejected, rejections from import_runs where id = ${report.runId}`;
		expect(run.accepted).toBe(2);
		expect(run.rejected).toBe(2);
		expect(run.rejections.map((r: { row: number }) => r.row)).toEqual([3, 4]);
		const rows =
			await sql`select external_id, region_code, provenance from facilities where external_id like 'T-%' order by 1`;
		expect(rows).toEqual([
			{ externalId: 'T-1', regionCode: COMMUNITY, provenance: 'official' },
			{ externalId: 'T-4', regionCode: COMMUNITY, provenance: 'official' }
		]);
	});

	it('is idempotent on external ids: a second import updates, never duplicates', async () => {
		await request('facilities', 'facilities.csv', csv.replace('100,70', '120,80'));
		const rows = await sql`select beds, nursing_beds from facilities where external_id = 'T-1'`;
		expect(rows).toEqual([{ beds: 120, nursingBeds: 80 }]);
		const [{ count }] = await sql`select count(*)::int as count from facilities where external_id like 'T-%'`;
		expect(count).toBe(2);
	});

	it('writes nothing on a dry run but still records the run', async () => {
		const report = await request(
			'facilities',
			'more.csv',
			'external_id,name,kind,lon,lat\nT-9,演练,medical,118.31,24.61',
			{
				dryRun: true
			}
		);
		expect(report.accepted).toBe(1);
		const rows = await sql`select 1 from facilities where external_id = 'T-9'`;
		expect(rows).toHaveLength(0);
		const [run] = await sql`select dry_run from import_runs where id = ${report.runId}`;
		expect(run.dryRun).toBe(true);
	});
});

describe('household CSV import', () => {
	it('imports households inside the district into their community, refusing one outside', async () => {
		const report = await request(
			'households',
			'households.csv',
			[
				'external_id,resident_name,phone,address,lon,lat,risk_level,consent',
				'T-HH-1,测试阿婆,0592-5550000,测试路 1 号,118.305,24.605,high,yes',
				'T-HH-2,区外老人,,,119.5,25.5,low,yes'
			].join('\n')
		);
		expect(report.accepted).toBe(1);
		expect(report.rejected.map((r) => r.row)).toEqual([3]);
		const rows =
			await sql`select resident_name, community_code, risk_level, consent from households where external_id like 'T-HH-%'`;
		expect(rows).toEqual([
			{ residentName: '测试阿婆', communityCode: COMMUNITY, riskLevel: 'high', consent: true }
		]);
	});
});

describe('boundary import', () => {
	it('replaces a street polygon matched by its official code and rejects unknown codes', async () => {
		const geojson = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: { code: STREET, name: '测试街道' },
					geometry: JSON.parse(square(118.301, 24.601, 0.01))
				},
				{
					type: 'Feature',
					properties: { code: '990101099', name: '不存在' },
					geometry: JSON.parse(square(118.301, 24.601, 0.01))
				}
			]
		});
		const report = await request('boundaries', 'streets.geojson', geojson);
		expect(report.accepted).toBe(1);
		expect(report.rejected).toEqual([
			{ row: 2, reason: expect.stringMatching(/990101099 is not in the official register/) }
		]);
		const [street] =
			await sql`select provenance, geom_source, round(st_xmin(geom)::numeric, 3)::float as west from regions where code = ${STREET}`;
		expect(street).toEqual({
			provenance: 'official',
			geomSource: 'imported from streets.geojson',
			west: 118.301
		});
	});
});

describe('population cell import', () => {
	it('takes cells inside the district, assigns them to a community and refuses the ones outside', async () => {
		const report = await request(
			'population',
			'cells.csv',
			['cell_id,lon,lat,elderly,total', 'T-c1,118.305,24.605,120,900', 'T-c2,119.5,25.5,50,100'].join('\n')
		);
		expect(report.accepted).toBe(1);
		expect(report.rejected.map((r) => r.row)).toEqual([3]);
		const rows =
			await sql`select cell_id, region_code, elderly from population_cells where district_code = ${DISTRICT}`;
		expect(rows).toEqual([{ cellId: 'T-c1', regionCode: COMMUNITY, elderly: 120 }]);
	});
});

describe('OpenStreetMap import', () => {
	// Two footways crossing in the test district, and a motorway that must not become a walkway.
	const osm = `<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lon="118.302" lat="24.605"/><node id="2" lon="118.306" lat="24.605"/><node id="3" lon="118.310" lat="24.605"/>
  <node id="4" lon="118.306" lat="24.601"/><node id="5" lon="118.306" lat="24.609"/>
  <node id="6" lon="118.302" lat="24.615"/><node id="7" lon="118.31" lat="24.615"/>
  <node id="8" lon="118.307" lat="24.606"><tag k="amenity" v="social_facility"/><tag k="social_facility" v="nursing_home"/><tag k="name" v="测试颐养院"/><tag k="capacity" v="80"/></node>
  <node id="9" lon="118.9" lat="24.9"><tag k="amenity" v="hospital"/><tag k="name" v="区外医院"/></node>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
  <way id="11"><nd ref="4"/><nd ref="2"/><nd ref="5"/><tag k="highway" v="residential"/></way>
  <way id="12"><nd ref="6"/><nd ref="7"/><tag k="highway" v="motorway"/></way>
</osm>`;

	it('builds the walking network of the extract and makes it the district’s active one, idempotently', async () => {
		const first = await request('osm', 'test.osm', osm);
		expect(first.summary).toMatchObject({ nodes: 5, edges: 4, components: 1 });
		const again = await request('osm', 'test.osm', osm);
		expect(again.summary).toMatchObject({ nodes: 5, edges: 4 });
		const networks = await listWalkNetworks(sql, DISTRICT);
		expect(networks).toHaveLength(1);
		expect(networks[0]).toMatchObject({
			name: 'osm: test.osm',
			provenance: 'derived',
			active: true,
			edgeCount: 4
		});
	});

	it('refuses an extract that does not cover the district', async () => {
		const elsewhere = osm.replaceAll('lon="118.3', 'lon="7.4');
		await expect(request('osm', 'monaco.osm', elsewhere)).rejects.toThrowError(ImportError);
	});
});
