/**
 * Standard addresses and boundaries on the run's database: an address import whose dry run names
 * the bad rows and saves nothing, then the real import; the public page's nearest facility within
 * 15 minutes' walk; boundary lines derived from the street polygons; markers imported onto a line
 * and a joint inspection campaign in which a marker moved beyond the tolerance is flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAddressCode } from '../../src/lib/addresses/address-code';
import { recentAudit } from '../../src/lib/server/audit/audit-log';
import type { Sql } from '../../src/lib/server/db/client';
import { addressPageUrl, doorPlates } from '../../src/lib/server/addresses/door-plates';
import { findAddressByCode, importAddresses, listAddresses } from '../../src/lib/server/addresses/addresses';
import { publicAddress } from '../../src/lib/server/addresses/public-address';
import { BoundaryError } from '../../src/lib/server/boundaries/boundary-error';
import {
	campaignDetail,
	closeCampaign,
	createCampaign,
	recordInspection
} from '../../src/lib/server/boundaries/campaigns';
import { boundaryLines, deriveBoundaryLines } from '../../src/lib/server/boundaries/lines';
import {
	addMarkerPhoto,
	importMarkers,
	listMarkers,
	markerPhoto
} from '../../src/lib/server/boundaries/markers';
import { seedGazetteer } from '../../src/lib/server/gazetteer/seed';
import { prepareDatabase } from '../support/database';

const DISTRICT = '350203';
const run = Date.now().toString(36);
let sql: Sql;

beforeAll(async () => {
	sql = await prepareDatabase();
	// The gazetteer's roads (its seed is idempotent), so imported roads can be linked to them.
	await seedGazetteer(sql, DISTRICT);
});

afterAll(async () => {
	await sql?.end();
});

/** Beside the Hongshan community station (鸿山社区居家养老服务站), in the old town. */
const NEAR_STATION: [number, number] = [118.0905, 24.449];

function addressFile() {
	return [
		'external_id,road_name,house_number,building,unit,road_pinyin,lon,lat',
		`A1-${run},思明南路,12,,,,${NEAR_STATION.join(',')}`,
		`A2-${run},思明南路,14,3,2,Siming Nanlu,118.0907,24.4492`,
		`A3-${run},,16,,,,118.0909,24.4494`,
		`A4-${run},思明南路,18,,,,121.5,31.2`,
		`A5-${run},思明南路,20,,,,118.09,abc`
	].join('\n');
}

describe('address import', () => {
	it('reports every bad row by line in a dry run and saves nothing', async () => {
		const result = await importAddresses(sql, {
			districtCode: DISTRICT,
			format: 'csv',
			text: addressFile(),
			dryRun: true,
			actor: 'test'
		});
		expect(result).toMatchObject({ dryRun: true, accepted: 2, created: 2, updated: 0 });
		expect(result.rejected.map((r) => r.row)).toEqual([4, 5, 6]);
		expect(result.rejected[0].reason).toContain('road_name is missing');
		expect(result.rejected[1].reason).toContain('outside the district');
		expect(result.rejected[2].reason).toContain('not numbers');
		const [{ count }] = await sql`select count(*)::int from addresses where external_id like ${`%-${run}`}`;
		expect(count).toBe(0);
	});

	it('imports the good rows for real, each with a code, its community and pinyin', async () => {
		const result = await importAddresses(sql, {
			districtCode: DISTRICT,
			format: 'csv',
			text: addressFile(),
			dryRun: false,
			actor: 'test'
		});
		expect(result).toMatchObject({ dryRun: false, accepted: 2, created: 2 });
		const { addresses } = await listAddresses(sql, DISTRICT, { q: '思明南路1' });
		const mine = addresses.filter((a) => a.externalId.endsWith(run));
		expect(mine.map((a) => a.standardName)).toEqual(['思明南路12号', '思明南路14号3幢2单元']);
		expect(mine[0]).toMatchObject({ pinyin: 'Siming Nanlu 12 Hao', pinyinSource: 'computed' });
		// The road is linked to the gazetteer's approved place name of that name.
		const [road] = await sql<{ id: string }[]>`
			select id from place_names where district_code = ${DISTRICT} and standard_name = '思明南路' and status = 'approved'`;
		expect(road).toBeDefined();
		expect(mine.map((a) => a.placeNameId)).toEqual([Number(road.id), Number(road.id)]);
		expect(mine[1]).toMatchObject({
			pinyin: 'Siming Nanlu 14 Hao 3 Zhuang 2 Danyuan',
			pinyinSource: 'imported'
		});
		for (const address of mine) {
			expect(decodeAddressCode(address.code).districtCode).toBe(DISTRICT);
			expect(address.regionCode).toMatch(/^350203\d{6}$/);
		}
		const audit = await recentAudit(sql, { subjectType: 'import', districtCode: DISTRICT, limit: 5 });
		expect(audit.some((entry) => entry.action === 'address.import')).toBe(true);
	});

	it('keeps an address’s code when the same file is imported again', async () => {
		const before = (await listAddresses(sql, DISTRICT, { q: '思明南路12号' })).addresses.find((a) =>
			a.externalId.endsWith(run)
		)!;
		const again = await importAddresses(sql, {
			districtCode: DISTRICT,
			format: 'csv',
			text: addressFile(),
			dryRun: false,
			actor: 'test'
		});
		expect(again).toMatchObject({ created: 0, updated: 2 });
		expect((await findAddressByCode(sql, before.code))?.externalId).toBe(before.externalId);
	});

	it('lists number 2 before number 12 of the same road', async () => {
		await importAddresses(sql, {
			districtCode: DISTRICT,
			format: 'csv',
			text: `external_id,road_name,house_number,lon,lat\nA6-${run},思明南路,2,118.0903,24.4488`,
			dryRun: false,
			actor: 'test'
		});
		const { addresses } = await listAddresses(sql, DISTRICT, { q: '思明南路', limit: 1000 });
		const names = addresses.filter((a) => a.externalId.endsWith(run)).map((a) => a.standardName);
		expect(names).toEqual(['思明南路2号', '思明南路12号', '思明南路14号3幢2单元']);
	});
});

describe('the public address page', () => {
	it('shows the nearest eldercare facility within 15 minutes’ walk, and no personal data', async () => {
		const address = (await listAddresses(sql, DISTRICT, { q: '思明南路12号' })).addresses.find((a) =>
			a.externalId.endsWith(run)
		)!;
		const page = await publicAddress(sql, address.code);
		expect(page).not.toBeNull();
		expect(page!.standardName).toBe('思明南路12号');
		expect(page!.regions.district).toBeTruthy();
		expect(page!.regions.street).toBeTruthy();
		expect(page!.nearestFacility).toMatchObject({ name: '鸿山社区居家养老服务站', method: 'network' });
		expect(page!.nearestFacility!.seconds).toBeLessThanOrEqual(15 * 60);
		expect(page!.circleMinutes).toBe(15);
		expect(Object.keys(page!)).not.toContain('residents');
	});

	it('prints door plates whose QR codes are SVG and encode the public URL', async () => {
		const address = (await listAddresses(sql, DISTRICT, { q: '思明南路12号' })).addresses.find((a) =>
			a.externalId.endsWith(run)
		)!;
		const [plate] = await doorPlates('https://carecircle.example/', [address]);
		expect(plate.url).toBe(addressPageUrl('https://carecircle.example', address.code));
		expect(plate.url).toBe(`https://carecircle.example/a/${address.code}`);
		expect(plate.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
		expect(plate.number).toBe('12号');
	});
});

describe('boundaries and joint inspections', () => {
	let lineId: number;
	let lineCode: string;

	it('derives lines between adjacent streets and the district outline, labelled modelled', async () => {
		const count = await deriveBoundaryLines(sql, DISTRICT, 'test');
		expect(count).toBeGreaterThan(10);
		// Deriving again re-digitises the same lines: no new ones.
		expect(await deriveBoundaryLines(sql, DISTRICT, 'test')).toBe(count);
		const lines = await boundaryLines(sql, DISTRICT);
		expect(lines.features).toHaveLength(count);
		expect(lines.features.filter((f) => f.properties.kind === 'district_outline')).toHaveLength(1);
		for (const line of lines.features) {
			expect(line.properties.modelled).toBe(true);
			expect(line.properties.lengthM).toBeGreaterThan(1);
		}
		const between = lines.features.find((f) => f.properties.lineCode === '001003')!;
		expect(between.properties).toMatchObject({ leftRegionCode: '350203001', rightRegionCode: '350203003' });
		lineId = between.properties.id;
		lineCode = between.properties.lineCode;
	});

	it('imports markers onto a line, with a dry run naming the bad rows and those off their line', async () => {
		const [{ coordinates }] = await sql<{ coordinates: [number, number][][] }[]>`
			select (st_asgeojson(geom)::json)->'coordinates' as coordinates from boundary_lines where id = ${lineId}`;
		const [lon, lat] = coordinates[0][0];
		const text = [
			'number,marker_type,line_code,condition,landmarks,lon,lat',
			`${lineCode}-${run}-1,Q,${lineCode},,老榕树东侧 3 米,${lon},${lat}`,
			`${lineCode}-${run}-2,A,${lineCode},,,${lon + 0.0005},${lat}`,
			`${lineCode}-${run}-3,B,${lineCode},,,${lon + 0.001},${lat}`,
			`${lineCode}-${run}-4,Q,999999,,,${lon},${lat}`,
			// A slip in the latitude puts it in the sea, 20 km south of its line.
			`${lineCode}-${run}-5,Q,${lineCode},,,${lon},${lat - 0.2}`
		].join('\n');
		const dry = await importMarkers(sql, {
			districtCode: DISTRICT,
			format: 'csv',
			text,
			dryRun: true,
			actor: 'test'
		});
		expect(dry).toMatchObject({ accepted: 3, rejected: [{ row: 5 }, { row: 6 }] });
		expect(dry.rejected[0].reason).toContain('line_code 999999');
		expect(dry.rejected[1].reason).toMatch(/^stands 2\d{4} m from line .*within 200 m/);
		expect((await listMarkers(sql, DISTRICT, { lineId })).filter((m) => m.number.includes(run))).toHaveLength(
			0
		);
		const real = await importMarkers(sql, {
			districtCode: DISTRICT,
			format: 'csv',
			text,
			dryRun: false,
			actor: 'test'
		});
		expect(real).toMatchObject({ accepted: 3, created: 3 });
	});

	it('stores a marker photo after checking its type and refuses something else', async () => {
		const [marker] = (await listMarkers(sql, DISTRICT, { lineId })).filter((m) => m.number.includes(run));
		const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
		const id = await addMarkerPhoto(sql, {
			districtCode: DISTRICT,
			markerId: marker.id,
			bytes: png,
			declaredType: 'image/png',
			caption: '东面',
			actor: 'test'
		});
		expect((await markerPhoto(sql, DISTRICT, marker.id, id))?.contentType).toBe('image/png');
		await expect(
			addMarkerPhoto(sql, {
				districtCode: DISTRICT,
				markerId: marker.id,
				bytes: new TextEncoder().encode('<script>'),
				declaredType: 'image/png',
				caption: null,
				actor: 'test'
			})
		).rejects.toThrow(BoundaryError);
	});

	it('flags a marker moved beyond the tolerance and counts the campaign’s progress', async () => {
		const campaign = await createCampaign(sql, {
			districtCode: DISTRICT,
			lineId,
			name: `联检 ${run}`,
			toleranceM: 1,
			actor: 'test'
		});
		const markers = (await listMarkers(sql, DISTRICT, { lineId })).filter((m) => m.number.includes(run));
		const base = {
			districtCode: DISTRICT,
			campaignId: campaign.id,
			notes: null,
			inspector: '张三',
			actor: 'test'
		};
		const [first, second, third] = markers;
		await recordInspection(sql, { ...base, markerId: first.id, result: 'intact', measured: first.position });
		// 1e-5° of latitude is 1.11 m: beyond a 1 m tolerance.
		const moved = await recordInspection(sql, {
			...base,
			markerId: second.id,
			result: 'moved',
			measured: [second.position[0], second.position[1] + 0.00001]
		});
		expect(moved.displacementM).toBeCloseTo(1.112, 2);
		expect(moved.beyondTolerance).toBe(true);
		await expect(
			recordInspection(sql, { ...base, markerId: third.id, result: 'missing', measured: third.position })
		).rejects.toThrow('no measured position');

		let detail = (await campaignDetail(sql, DISTRICT, campaign.id))!;
		const onLine = detail.markers.length;
		expect(detail.progress).toMatchObject({
			markers: onLine,
			inspected: 2,
			remaining: onLine - 2,
			flagged: 1
		});
		expect(detail.progress.byResult).toMatchObject({ intact: 1, moved: 1 });

		// Recording a marker again replaces its record; it does not count twice.
		await recordInspection(sql, { ...base, markerId: third.id, result: 'missing', measured: null });
		await recordInspection(sql, {
			...base,
			markerId: first.id,
			result: 'damaged',
			measured: null,
			notes: '碑面开裂'
		});
		detail = (await campaignDetail(sql, DISTRICT, campaign.id))!;
		expect(detail.progress).toMatchObject({ inspected: 3, flagged: 1 });
		expect(detail.progress.byResult).toMatchObject({ intact: 0, damaged: 1, moved: 1, missing: 1 });
		expect(detail.markers.find((m) => m.id === second.id)?.condition).toBe('moved');
		// The recorded position never moves with an inspection.
		expect(detail.markers.find((m) => m.id === second.id)?.position).toEqual(second.position);

		// A closed campaign keeps its records and takes no more.
		await closeCampaign(sql, DISTRICT, campaign.id, 'test');
		await expect(
			recordInspection(sql, { ...base, markerId: first.id, result: 'intact', measured: null })
		).rejects.toThrow('closed');
		expect((await campaignDetail(sql, DISTRICT, campaign.id))!.progress.inspected).toBe(3);
	});
});
