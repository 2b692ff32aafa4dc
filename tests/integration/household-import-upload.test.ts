/**
 * The households page's CSV upload (`importRegistryUpload`, what the page's `import` action calls)
 * against the real database: a check lists every bad line and what would be imported without
 * writing; an import writes the good lines, hands out each new device password once, and a form
 * that is not a CSV upload is refused with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/lib/server/db/client';
import { deviceCredentialHash } from '../../src/lib/server/devices/registry';
import { verifyCredential } from '../../src/lib/server/devices/credentials';
import {
	importRegistryUpload,
	REGISTRY_UPLOAD_MAX_BYTES,
	type RegistryUploadOutcome
} from '../../src/lib/server/imports/registry-upload';
import { prepareDatabase } from '../support/database';

const DISTRICT = '350203';
const ACTOR = 'test:household-import-upload';
const run = Date.now().toString(36);
const id = (name: string) => `U-${name}-${run}`;

let sql: Sql;

beforeAll(async () => {
	sql = await prepareDatabase();
});

afterAll(async () => {
	await sql`delete from devices where id like ${`U-%-${run}`}`;
	await sql`delete from households where external_id like ${`U-%-${run}`}`;
	await sql?.end();
});

function uploadForm(fields: { kind?: string; mode?: string; crs?: string; file?: File }): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.set(name, value);
	return form;
}

const csvFile = (lines: string[], name = 'upload.csv') =>
	new File([lines.join('\n')], name, { type: 'text/csv' });

const upload = (fields: Parameters<typeof uploadForm>[0]) =>
	importRegistryUpload(sql, uploadForm(fields), { districtCode: DISTRICT, actor: ACTOR });

function resultOf(outcome: RegistryUploadOutcome) {
	if (!('result' in outcome)) throw new Error(`refused: ${outcome.refused.key}`);
	return outcome.result;
}

const householdsFile = () =>
	csvFile([
		'external_id,resident_name,phone,address,lon,lat,risk_level,consent,emergency_contacts',
		`${id('H1')},上传阿婆,0592-5551234,,118.09,24.455,high,是,李娜:13800000000:女儿`,
		`${id('H2')},,,,118.09,24.455,,yes,`,
		`${id('H3')},上传阿公,,,24.455,118.09,,yes,`,
		`${id('H4')},上传伯伯,,,118.09,24.455,,yes,王强`,
		`${id('H5')},上传阿姨,,,118.091,24.456,low,no,`
	]);

describe('the households page CSV upload', () => {
	it('checks a households file without writing: every bad line with its reason, and what would be imported', async () => {
		const result = resultOf(await upload({ kind: 'households', mode: 'check', file: householdsFile() }));
		expect(result).toMatchObject({ dryRun: true, accepted: 2, created: 2, updated: 0, credentials: [] });
		expect(result.rejected).toEqual([
			{ row: 3, reason: 'resident_name is missing' },
			{ row: 4, reason: 'lat 118.09 is outside -90..90' },
			{ row: 5, reason: 'emergency contact 1 has no phone (write name:phone[:relation])' }
		]);
		expect(await sql`select 1 from households where external_id like ${`U-%-${run}`}`).toHaveLength(0);
		const [recorded] =
			await sql`select dry_run, accepted, rejected from import_runs where id = ${result.runId}`;
		expect(recorded).toEqual({ dryRun: true, accepted: 2, rejected: 3 });
	});

	it('imports the good lines of a households file and reports the bad ones by line', async () => {
		const result = resultOf(await upload({ kind: 'households', mode: 'import', file: householdsFile() }));
		expect(result).toMatchObject({ dryRun: false, accepted: 2, created: 2, updated: 0 });
		expect(result.rejected.map((r) => r.row)).toEqual([3, 4, 5]);
		const stored = await sql`
			select external_id, emergency_contacts from households
			where external_id like ${`U-%-${run}`} order by external_id`;
		expect(stored).toEqual([
			{ externalId: id('H1'), emergencyContacts: [{ name: '李娜', phone: '13800000000', relation: '女儿' }] },
			{ externalId: id('H5'), emergencyContacts: [] }
		]);
	});

	it('imports a devices file, handing out each new password once, and reports the bad lines', async () => {
		const file = csvFile([
			'device_id,household_external_id,kind,heartbeat_s',
			`${id('D1')},${id('H1')},sos_button,300`,
			`${id('D2')},${id('H2')},smoke,300`,
			`${id('D3')},${id('H5')},toaster,300`,
			`${id('D4')},${id('H5')},door,120`
		]);
		const checked = resultOf(await upload({ kind: 'devices', mode: 'check', file }));
		expect(checked).toMatchObject({ accepted: 2, created: 2, credentials: [] });

		const result = resultOf(await upload({ kind: 'devices', mode: 'import', file }));
		expect(result).toMatchObject({ dryRun: false, accepted: 2, created: 2, updated: 0 });
		expect(result.rejected).toEqual([
			{ row: 3, reason: `household_external_id ${id('H2')} is not a household of district ${DISTRICT}` },
			{ row: 4, reason: expect.stringMatching(/^kind "toaster" is not one of/) }
		]);
		expect(result.credentials.map((c) => c.id)).toEqual([id('D1'), id('D4')]);
		for (const credential of result.credentials) {
			const hash = await deviceCredentialHash(sql, credential.id);
			expect(await verifyCredential(credential.secret, hash!)).toBe(true);
		}
		const again = resultOf(await upload({ kind: 'devices', mode: 'import', file }));
		expect(again).toMatchObject({ created: 0, updated: 2, credentials: [] });
	});

	it('refuses a form that is not a households or devices CSV upload, saying why', async () => {
		const households = (file?: File) => upload({ kind: 'households', mode: 'check', file });
		const refusal = async (outcome: Promise<RegistryUploadOutcome>) => {
			const settled = await outcome;
			return 'refused' in settled ? settled.refused : settled.result;
		};
		expect(await refusal(households())).toEqual({ key: 'households.import.error.noFile' });
		expect(await refusal(households(csvFile([])))).toEqual({ key: 'households.import.error.noFile' });
		expect(await refusal(households(csvFile(['a,b'], 'households.xlsx')))).toEqual({
			key: 'households.import.error.type'
		});
		const zipBytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
		expect(await refusal(households(new File([zipBytes], 'renamed.csv')))).toEqual({
			key: 'households.import.error.type'
		});
		const gbk = new Uint8Array([0xc1, 0xd6, 0xb0, 0xa2, 0xc6, 0xc5]); // 林阿婆 in GBK
		expect(await refusal(households(new File([gbk], 'excel.csv')))).toEqual({
			key: 'households.import.error.encoding'
		});
		const tooLarge = new File([new Uint8Array(REGISTRY_UPLOAD_MAX_BYTES + 1).fill(0x41)], 'big.csv');
		expect(await refusal(households(tooLarge))).toEqual({
			key: 'households.import.error.tooLarge',
			values: { megabytes: 3 }
		});
		const file = csvFile(['external_id']);
		expect(await refusal(upload({ kind: 'facilities', mode: 'check', file }))).toEqual({
			key: 'households.import.error.kind'
		});
		expect(await refusal(upload({ kind: 'devices', mode: 'delete', file }))).toEqual({
			key: 'households.import.error.mode'
		});
		expect(await refusal(upload({ kind: 'households', mode: 'check', crs: 'utm', file }))).toEqual({
			key: 'households.import.error.crs'
		});
	});
});
