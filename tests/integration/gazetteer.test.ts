/**
 * The gazetteer on the run's database: the seed's approved names, proposals that wait for review
 * and are not published until approved, a rename that keeps the old name findable, each approval
 * rule refusing with its message, the reviewer's own-change and role checks, the append-only
 * history, the audit entry of an approval, reverse lookup and the editable readings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentAudit } from '../../src/lib/server/audit/audit-log';
import type { Sql } from '../../src/lib/server/db/client';
import type { GazetteerActor } from '../../src/lib/server/gazetteer/actor';
import {
	GazetteerError,
	findPlace,
	namesNear,
	placeVersions,
	proposeChange,
	proposeNewPlace,
	reviewChange
} from '../../src/lib/server/gazetteer/places';
import { exportPlaces, importPlaces } from '../../src/lib/server/gazetteer/exchange';
import { saveReading } from '../../src/lib/server/gazetteer/readings';
import { gazetteerIndex, searchPlaces } from '../../src/lib/server/gazetteer/search';
import { seedGazetteer } from '../../src/lib/server/gazetteer/seed';
import { prepareDatabase } from '../support/database';

const DISTRICT = '350203';
const editor: GazetteerActor = { name: '编辑甲', role: 'editor' };
const reviewer: GazetteerActor = { name: '审核乙', role: 'reviewer' };
/** Names unique to this run, in Chinese characters only (the rules refuse anything else). */
const run = [...Date.now().toString().slice(-6)].map((d) => '零一二三四五六七八九'[Number(d)]).join('');
/** A point in Lianqian street (莲前街道), inside the district. */
const LIANQIAN: [number, number] = [118.16, 24.478];
let sql: Sql;

async function expectRefusal(action: Promise<unknown>, code: string): Promise<GazetteerError> {
	const failure = await action.then(
		() => null,
		(error: unknown) => error
	);
	expect(failure).toBeInstanceOf(GazetteerError);
	expect((failure as GazetteerError).code).toBe(code);
	return failure as GazetteerError;
}

function point([lon, lat]: [number, number]) {
	return { type: 'Point' as const, coordinates: [lon, lat] };
}

describe('gazetteer', () => {
	beforeAll(async () => {
		sql = await prepareDatabase();
		await seedGazetteer(sql, DISTRICT);
	});

	afterAll(async () => {
		await sql?.end();
	});

	it('loads the regions and the hand-checked places as approved names, once', async () => {
		const [{ count }] = await sql`
			select count(*)::int as count from place_names where district_code = ${DISTRICT} and status = 'approved'`;
		expect(count).toBeGreaterThanOrEqual(111 + 30);
		expect(await seedGazetteer(sql, DISTRICT)).toBe(0);
		const [street] = await searchPlaces(sql, DISTRICT, 'lqjd');
		expect(street).toMatchObject({ name: '莲前街道', pinyin: 'Lianqian Jiedao', quality: 'initials' });
		const [xiagang] = await searchPlaces(sql, DISTRICT, '厦港街道');
		expect(xiagang.pinyin).toBe('Xiagang Jiedao');
	});

	it('publishes a new name only when a reviewer approves it', async () => {
		const name = `${run}新路`;
		const { id, versionId } = await proposeNewPlace(
			sql,
			DISTRICT,
			{ standardName: name, classCode: '53100', geometry: point(LIANQIAN) },
			editor,
			'新建道路'
		);
		expect((await findPlace(sql, DISTRICT, id))?.status).toBe('under_review');
		expect((await searchPlaces(sql, DISTRICT, name)).map((h) => h.id)).not.toContain(id);

		await expectRefusal(reviewChange(sql, DISTRICT, versionId, editor, 'approve'), 'FORBIDDEN');
		const reviewerAsAuthor = { name: editor.name, role: 'reviewer' as const };
		await expectRefusal(reviewChange(sql, DISTRICT, versionId, reviewerAsAuthor, 'approve'), 'OWN_CHANGE');

		const done = await reviewChange(sql, DISTRICT, versionId, reviewer, 'approve', '同意');
		expect(done.version.reviewState).toBe('approved');
		const place = await findPlace(sql, DISTRICT, id);
		expect(place).toMatchObject({ status: 'approved', publishedVersion: 1 });
		expect(place?.record.regionCode?.slice(0, 9)).toBe('350203010');
		expect((await searchPlaces(sql, DISTRICT, name))[0]).toMatchObject({ id, quality: 'exact' });
		await expectRefusal(reviewChange(sql, DISTRICT, versionId, reviewer, 'approve'), 'NOT_PENDING');

		const [audit] = await recentAudit(sql, { subjectType: 'place_name', subjectId: String(id) });
		expect(audit).toMatchObject({ action: 'place_name.approve', actor: reviewer.name });
	});

	it('approves a change to a street whose outline comes from the regions', async () => {
		const [street] = await searchPlaces(sql, DISTRICT, '莲前街道');
		const place = (await findPlace(sql, DISTRICT, street.id))!;
		const change = await proposeChange(
			sql,
			DISTRICT,
			street.id,
			{ ...place.record, originNote: `以莲前村得名（${run}）` },
			editor,
			'补充由来'
		);
		const done = await reviewChange(sql, DISTRICT, change.versionId, reviewer, 'approve');
		expect(done.place.record.originNote).toBe(`以莲前村得名（${run}）`);
		expect(Object.keys(done.version.diff)).toEqual(['originNote']);
	});

	it('keeps an unapproved edit out of the published name and the search', async () => {
		const [hill] = await searchPlaces(sql, DISTRICT, '云顶岩');
		await proposeChange(
			sql,
			DISTRICT,
			hill.id,
			{ standardName: `${run}岩`, classCode: hill.classCode },
			editor,
			'试改名，未批准'
		);
		expect((await findPlace(sql, DISTRICT, hill.id))?.record.standardName).toBe('云顶岩');
		expect((await searchPlaces(sql, DISTRICT, `${run}岩`)).map((h) => h.id)).not.toContain(hill.id);
		expect((await searchPlaces(sql, DISTRICT, 'ydy'))[0].id).toBe(hill.id);
	});

	it('renames a place: after approval the old name finds the new one, and the history keeps both', async () => {
		const { id, versionId } = await proposeNewPlace(
			sql,
			DISTRICT,
			{ standardName: `${run}旧街`, classCode: '53100', geometry: point(LIANQIAN) },
			editor,
			'新建'
		);
		await reviewChange(sql, DISTRICT, versionId, reviewer, 'approve');
		const renamed = `${run}新街`;
		const change = await proposeChange(
			sql,
			DISTRICT,
			id,
			{ standardName: renamed, classCode: '53100' },
			editor,
			'更名'
		);
		expect((await searchPlaces(sql, DISTRICT, `${run}旧街`))[0]).toMatchObject({ id, name: `${run}旧街` });
		const indexBefore = await gazetteerIndex(sql, DISTRICT);
		await reviewChange(sql, DISTRICT, change.versionId, reviewer, 'approve');
		// The approval re-indexes the one name in place rather than rebuilding the district's index.
		expect(await gazetteerIndex(sql, DISTRICT)).toBe(indexBefore);

		const [hit] = await searchPlaces(sql, DISTRICT, `${run}旧街`);
		expect(hit).toMatchObject({ id, name: renamed, via: 'former', matched: `${run}旧街` });
		const place = await findPlace(sql, DISTRICT, id);
		expect(place?.record.aliases).toEqual([
			expect.objectContaining({ name: `${run}旧街`, kind: 'former', toYear: new Date().getFullYear() })
		]);
		const versions = await placeVersions(sql, id);
		expect(versions.map((v) => [v.version, v.reviewState])).toEqual([
			[2, 'approved'],
			[1, 'approved']
		]);
		expect(versions[0].diff.standardName).toEqual({ from: `${run}旧街`, to: renamed });
		expect(versions[0]).toMatchObject({ actor: editor.name, reason: '更名', reviewer: reviewer.name });
	});

	it('refuses to approve a duplicate standard name of the same class in the same street', async () => {
		const { versionId } = await proposeNewPlace(
			sql,
			DISTRICT,
			{ standardName: '莲前西路', classCode: '53100', geometry: point([118.145, 24.478]) },
			editor,
			'重复'
		);
		const failure = await expectRefusal(reviewChange(sql, DISTRICT, versionId, reviewer, 'approve'), 'RULES');
		expect(failure.violations.map((v) => v.code)).toEqual(['DUPLICATE_IN_STREET']);
		expect(failure.message).toMatch(
			/^\p{Script=Han}+街道内已有同类地名「莲前西路」（编号 \d+），同一街道内同类标准名称不得重复$/u
		);
	});

	it('refuses to approve a geometry outside the district', async () => {
		const { versionId } = await proposeNewPlace(
			sql,
			DISTRICT,
			{ standardName: `${run}外路`, classCode: '53100', geometry: point([118.3, 24.7]) },
			editor,
			'区外'
		);
		const failure = await expectRefusal(reviewChange(sql, DISTRICT, versionId, reviewer, 'approve'), 'RULES');
		expect(failure.violations).toEqual([
			{ code: 'OUTSIDE_DISTRICT', field: 'geometry', message: '位置不在本区范围内' }
		]);
	});

	it('refuses to approve a mixed-script or empty name and says why', async () => {
		const mixed = await proposeNewPlace(
			sql,
			DISTRICT,
			{ standardName: `${run}A路`, classCode: '53100', geometry: point(LIANQIAN) },
			editor,
			'混写'
		);
		const failure = await expectRefusal(
			reviewChange(sql, DISTRICT, mixed.versionId, reviewer, 'approve'),
			'RULES'
		);
		expect(failure.message).toBe(`名称「${run}A路」混用了汉字以外的文字：A`);
		const empty = await proposeNewPlace(
			sql,
			DISTRICT,
			{ standardName: ' ', classCode: '53100' },
			editor,
			'空'
		);
		const none = await expectRefusal(
			reviewChange(sql, DISTRICT, empty.versionId, reviewer, 'approve'),
			'RULES'
		);
		expect(none.violations.map((v) => v.code)).toEqual(['NAME_EMPTY', 'PINYIN_MISSING']);
		// A rejection is recorded too, and the name never becomes published.
		const rejected = await reviewChange(sql, DISTRICT, empty.versionId, reviewer, 'reject', '名称为空');
		expect(rejected.version.reviewState).toBe('rejected');
		expect(rejected.place.status).toBe('proposed');
	});

	it('keeps the history append-only and never deletes a name', async () => {
		const [{ id, reason }] = await sql`
			select id, reason from place_name_versions where review_state = 'approved' order by id limit 1`;
		// Each refusal inside a transaction: on the embedded PGlite (behind pglite-socket) a statement
		// refused outside one leaves the next answers out of step (they come back empty).
		await expect(sql.begin((tx) => tx`delete from place_name_versions where id = ${id}`)).rejects.toThrow(
			/append-only/
		);
		await expect(
			sql.begin((tx) => tx`update place_name_versions set reason = 'x' where id = ${id}`)
		).rejects.toThrow(/append-only/);
		const [after] = await sql`select reason from place_name_versions where id = ${id}`;
		expect(after.reason).toBe(reason);
		await expect(
			sql.begin((tx) => tx`delete from place_names where id = (select min(id) from place_names)`)
		).rejects.toThrow(/never deleted/);
	});

	it('lists the names around a clicked point, nearest first', async () => {
		const near = await namesNear(sql, DISTRICT, 118.0812, 24.4586, 200);
		expect(near.map((n) => n.standardName)).toContain('中山路');
		expect(near[0].distanceM).toBe(0);
	});

	it('generates pinyin with a reading staff edited in the dictionary', async () => {
		await saveReading(sql, { word: `${run}`, reading: [...run].map(() => 'ā').join(' ') }, reviewer);
		const { id } = await proposeNewPlace(
			sql,
			DISTRICT,
			{ standardName: `${run}巷`, classCode: '53100', geometry: point(LIANQIAN) },
			editor,
			'读音'
		);
		const [version] = await placeVersions(sql, id);
		expect(version.record.pinyin).toBe(`${['A', ...Array(run.length - 1).fill("'a")].join('')} Xiang`);
	});

	it('dry-runs an import reporting every bad row by its line, and writes nothing while one is bad', async () => {
		const csv = [
			'standard_name,class_code,lon,lat,pinyin,origin,aliases',
			`${run}甲路,53100,118.16,24.478,,试验,${run}甲道`,
			`${run}B路,53100,118.16,24.478,,,`,
			'莲前西路,53100,118.145,24.478,,,',
			`${run}乙路,53100,118.30,24.70,,,`,
			`${run}丙路,99999,118.16,24.478,,,`,
			`${run}丁路,53100,east,24.478,,,`
		].join('\n');
		const report = await importPlaces(sql, DISTRICT, csv, 'csv', editor, { dryRun: true });
		expect(report.accepted).toBe(1);
		expect(report.rejected.map((r) => r.row)).toEqual([3, 4, 5, 6, 7]);
		expect(report.rejected[0].messages[0]).toContain('混用了汉字以外的文字');
		expect(report.rejected[1].messages[0]).toContain('已有同类地名「莲前西路」');
		expect(report.rejected[2].messages).toEqual(['位置不在本区范围内']);
		expect(report.rejected[4].messages).toEqual(['lon, lat: numbers expected']);
		const refused = await importPlaces(sql, DISTRICT, csv, 'csv', editor, { dryRun: false });
		expect(refused.created).toEqual([]);

		const geojson = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					geometry: point(LIANQIAN),
					properties: { name: `${run}戊路`, classCode: '53100' }
				},
				{ type: 'Feature', geometry: point(LIANQIAN), properties: { name: '', classCode: '53100' } }
			]
		});
		const bad = await importPlaces(sql, DISTRICT, geojson, 'geojson', editor, { dryRun: true });
		expect(bad.rejected).toEqual([{ row: 2, messages: ['名称不能为空'] }]);
		const good = JSON.stringify({
			...JSON.parse(geojson),
			features: JSON.parse(geojson).features.slice(0, 1)
		});
		const written = await importPlaces(sql, DISTRICT, good, 'geojson', editor, { dryRun: false });
		expect(written.created).toHaveLength(1);
		const [version] = await placeVersions(sql, written.created[0]);
		expect(version).toMatchObject({ kind: 'import', reviewState: 'pending' });
	});

	it('exports the published gazetteer as GeoJSON and CSV', async () => {
		const geojson = JSON.parse(await exportPlaces(sql, DISTRICT, 'geojson'));
		const lianqian = geojson.features.find(
			(f: { properties: { standardName: string } }) => f.properties.standardName === '莲前街道'
		);
		expect(lianqian.properties).toMatchObject({
			pinyin: 'Lianqian Jiedao',
			classCode: '11000',
			status: 'approved'
		});
		expect(lianqian.geometry.type).toBe('MultiPolygon');
		const csv = await exportPlaces(sql, DISTRICT, 'csv');
		expect(csv.split('\n')[0]).toMatch(/^id,standard_name,specific_part,generic_part,pinyin,class_code/);
		expect(csv).toMatch(/,筼筜湖,筼筜,湖,Yundang Hu,61000,.*,筼筜港,1\n/);
		expect(csv).not.toContain(`${run}戊路`);
	});
});
