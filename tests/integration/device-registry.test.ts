/**
 * The household and device register against the real database: operator changes and reads are
 * audited, retiring keeps a device's history but ends its broker login, a household with history
 * cannot be deleted, the households CSV import keeps what a line leaves empty, the devices CSV import
 * hands out passwords only for new or renewed devices, and neither reaches into another district.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recentAudit, recordAudit } from '../../src/lib/server/audit/audit-log';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { verifyCredential } from '../../src/lib/server/devices/credentials';
import {
	addDevice,
	editDevice,
	listDevices,
	retireDevice,
	rotateCredential
} from '../../src/lib/server/devices/device-admin';
import {
	createHousehold,
	deleteHousehold,
	listHouseholds,
	readHousehold,
	updateHousehold,
	type HouseholdFields
} from '../../src/lib/server/devices/households';
import {
	brokerHashes,
	deviceCredentialHash,
	HouseholdOfOtherDistrictError,
	registerDevice,
	saveHousehold
} from '../../src/lib/server/devices/registry';
import { runImport } from '../../src/lib/server/imports/run-import';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/lib/server/mqtt/broker';
import { prepareDatabase } from '../support/database';

const DISTRICT = '350203';
/** A neighbouring district (湖里区) whose households and devices the imports of DISTRICT must not touch. */
const OTHER_DISTRICT = '350206';
const ACTOR = 'test:device-registry';
const run = Date.now().toString(36);
const id = (name: string) => `T-${name}-${run}`;

const home: HouseholdFields = {
	residentName: '登记测试',
	phone: '0592-5550001',
	address: '测试路 9 号',
	location: [118.09, 24.455],
	riskLevel: 'high',
	emergencyContacts: [{ name: '女儿', phone: '13800000000', relation: '女儿' }],
	consent: true
};

let sql: Sql;

async function newHousehold(name: string, fields: Partial<HouseholdFields> = {}): Promise<number> {
	const created = await createHousehold(
		sql,
		{ ...home, ...fields, externalId: id(name), districtCode: DISTRICT },
		ACTOR
	);
	if (!('id' in created)) throw new Error(`household ${name} was refused: ${created.refused}`);
	return created.id;
}

async function auditOf(subjectType: string, subjectId: string | number) {
	return recentAudit(sql, { subjectType, subjectId: String(subjectId) });
}

beforeAll(async () => {
	sql = await prepareDatabase();
});

/** Inserts the other district (without geometry) unless it is there; true when this run did. */
async function addOtherDistrict(): Promise<boolean> {
	const added = await sql`
		insert into regions (code, level, name, short_name, geom_source)
		values (${OTHER_DISTRICT}, 'district', '湖里区', '湖里', 'test: device-registry')
		on conflict (code) do nothing
		returning code`;
	return added.length > 0;
}
let addedOtherDistrict = false;

afterAll(async () => {
	await sql`delete from device_events where device_id like ${`T-%-${run}`}`;
	await sql`delete from devices where id like ${`T-%-${run}`}`;
	await sql`delete from households where external_id like ${`T-%-${run}`}`;
	if (addedOtherDistrict) await sql`delete from regions where code = ${OTHER_DISTRICT}`;
	await sql?.end();
});

describe('households', () => {
	it('creates a household in the community its home lies in, and audits the creation', async () => {
		const householdId = await newHousehold('H1');
		const household = await readHousehold(sql, householdId, DISTRICT, ACTOR);
		expect(household).toMatchObject({
			externalId: id('H1'),
			residentName: '登记测试',
			location: [118.09, 24.455],
			emergencyContacts: home.emergencyContacts,
			consent: true
		});
		expect(household!.communityCode).toMatch(/^350203\d{6}$/);
		const actions = (await auditOf('household', householdId)).map((entry) => entry.action);
		expect(actions).toEqual(['household.read', 'household.create']);
	});

	it('refuses an external id that another household has, and a home outside the district', async () => {
		await newHousehold('H2');
		const again = { ...home, externalId: id('H2'), districtCode: DISTRICT };
		await expect(createHousehold(sql, again, ACTOR)).resolves.toEqual({ refused: 'external_id_taken' });
		const swapped = { ...again, externalId: id('H2b'), location: [24.455, 118.09] as [number, number] };
		await expect(createHousehold(sql, swapped, ACTOR)).resolves.toEqual({ refused: 'outside_district' });
	});

	it('records each change with the names of the fields that changed, never their values', async () => {
		const householdId = await newHousehold('H3');
		const saved = await updateHousehold(
			sql,
			householdId,
			DISTRICT,
			{ ...home, phone: '13900000000', consent: false },
			ACTOR
		);
		expect(saved).toEqual({ changed: ['phone', 'consent'] });
		const [entry] = await auditOf('household', householdId);
		expect(entry).toMatchObject({
			action: 'household.update',
			actor: ACTOR,
			detail: { changed: ['phone', 'consent'] }
		});
		expect(JSON.stringify(entry.detail)).not.toContain('13900000000');
	});

	it('finds households by name, external id or community, counting their devices online and offline', async () => {
		const householdId = await newHousehold('H4', { residentName: `搜索${run}` });
		await addDevice(
			sql,
			householdId,
			{ id: id('D4a'), kind: 'sos_button', heartbeatS: 300, firmware: null },
			ACTOR
		);
		await addDevice(
			sql,
			householdId,
			{ id: id('D4b'), kind: 'smoke', heartbeatS: 300, firmware: null },
			ACTOR
		);
		await sql`update devices set online = true where id = ${id('D4a')}`;
		for (const search of [`搜索${run}`, id('H4')]) {
			const list = await listHouseholds(sql, { districtCode: DISTRICT, search, page: 1 }, ACTOR);
			expect(list.items).toEqual([
				expect.objectContaining({ id: householdId, devices: 2, online: 1, offline: 1, consent: true })
			]);
		}
		const [listed] = await recentAudit(sql, { subjectType: 'household', subjectId: '*', limit: 1 });
		expect(listed).toMatchObject({
			action: 'household.list',
			detail: { search: id('H4'), householdIds: [householdId] }
		});
	});

	it('treats % and _ in a search as plain characters', async () => {
		const literal = await newHousehold('H%', { residentName: `百分%${run}` });
		await newHousehold('HP', { residentName: `百分之${run}` });
		const list = await listHouseholds(sql, { districtCode: DISTRICT, search: '百分%', page: 1 }, ACTOR);
		expect(list.items.map((h) => h.id)).toEqual([literal]);
	});

	it('refuses to delete a household whose device reported an event, and keeps it', async () => {
		const householdId = await newHousehold('H5');
		await addDevice(sql, householdId, { id: id('D5'), kind: 'door', heartbeatS: 300, firmware: null }, ACTOR);
		await sql`
			insert into device_events (device_id, event_id, type, occurred_at, payload)
			values (${id('D5')}, 'e-1', 'door_open', now(), '{}')`;
		await expect(deleteHousehold(sql, householdId, DISTRICT, ACTOR)).resolves.toBe('has_history');
		expect(await readHousehold(sql, householdId, DISTRICT, ACTOR)).not.toBeNull();
	});

	it('deletes a household without history together with its devices, and audits it', async () => {
		const householdId = await newHousehold('H6');
		await addDevice(sql, householdId, { id: id('D6'), kind: 'gas', heartbeatS: 300, firmware: null }, ACTOR);
		await expect(deleteHousehold(sql, householdId, DISTRICT, ACTOR)).resolves.toBe('deleted');
		expect(await sql`select 1 from devices where id = ${id('D6')}`).toHaveLength(0);
		const [entry] = await auditOf('household', householdId);
		expect(entry).toMatchObject({ action: 'household.delete', detail: { devices: [id('D6')] } });
		await expect(deleteHousehold(sql, householdId, DISTRICT, ACTOR)).resolves.toBe('not_found');
	});
});

describe('devices', () => {
	let householdId: number;
	let broker: EmbeddedBroker;
	const platform = { username: 'platform-test', password: 'platform-secret' };

	beforeAll(async () => {
		householdId = await newHousehold('HD');
		broker = await startEmbeddedBroker('127.0.0.1', 0, {
			platform,
			credentialHashOf: (deviceId) => deviceCredentialHash(sql, deviceId),
			onRefusedPublish: () => {}
		});
	});

	afterAll(async () => {
		await broker?.close();
	});

	const login = (deviceId: string, password: string) =>
		mqtt
			.connectAsync(broker.url, { clientId: deviceId, username: deviceId, password, reconnectPeriod: 0 })
			.then((client) => client.endAsync());

	it('registers a device with a password that only its hash is kept of, and refuses the same id twice', async () => {
		const registered = await addDevice(
			sql,
			householdId,
			{ id: id('SOS'), kind: 'sos_button', heartbeatS: 120, firmware: '2.4.1' },
			ACTOR
		);
		if (!('secret' in registered)) throw new Error('not registered');
		const [row] =
			await sql`select credential_hash, firmware, heartbeat_s from devices where id = ${id('SOS')}`;
		expect(row.credentialHash).not.toContain(registered.secret);
		expect(await verifyCredential(registered.secret, row.credentialHash)).toBe(true);
		expect(row).toMatchObject({ firmware: '2.4.1', heartbeatS: 120 });
		await expect(
			addDevice(sql, householdId, { id: id('SOS'), kind: 'smoke', heartbeatS: 300, firmware: null }, ACTOR)
		).resolves.toEqual({ refused: 'id_taken' });
		const [entry] = await auditOf('device', id('SOS'));
		expect(entry).toMatchObject({ action: 'device.create', detail: { householdId } });
	});

	it('changes a device’s kind and heartbeat, keeping its firmware when none is given', async () => {
		await addDevice(
			sql,
			householdId,
			{ id: id('EDIT'), kind: 'door', heartbeatS: 300, firmware: '1.0' },
			ACTOR
		);
		const changed = await editDevice(
			sql,
			householdId,
			id('EDIT'),
			{ kind: 'inactivity', heartbeatS: 60, firmware: null },
			ACTOR
		);
		expect(changed).toBe(true);
		const [row] = await sql`select kind, heartbeat_s, firmware from devices where id = ${id('EDIT')}`;
		expect(row).toEqual({ kind: 'inactivity', heartbeatS: 60, firmware: '1.0' });
		const otherHousehold = await newHousehold('HX');
		await expect(
			editDevice(sql, otherHousehold, id('EDIT'), { kind: 'door', heartbeatS: 60, firmware: null }, ACTOR)
		).resolves.toBe(false);
	});

	it('gives a device a new password on request; the old one stops working at the broker', async () => {
		const first = await addDevice(
			sql,
			householdId,
			{ id: id('ROT'), kind: 'fall_detector', heartbeatS: 300, firmware: null },
			ACTOR
		);
		if (!('secret' in first)) throw new Error('not registered');
		await login(id('ROT'), first.secret);
		const renewed = await rotateCredential(sql, householdId, id('ROT'), ACTOR);
		expect(renewed!.secret).not.toBe(first.secret);
		await expect(login(id('ROT'), first.secret)).rejects.toThrowError(/Bad username or password/i);
		await login(id('ROT'), renewed!.secret);
		const [entry] = await auditOf('device', id('ROT'));
		expect(entry.action).toBe('device.rotate_credential');
	});

	it('retires a device: its events stay, the broker refuses its login and Mosquitto’s files leave it out', async () => {
		const registered = await addDevice(
			sql,
			householdId,
			{ id: id('RET'), kind: 'smoke', heartbeatS: 300, firmware: null },
			ACTOR
		);
		if (!('secret' in registered)) throw new Error('not registered');
		await sql`
			insert into device_events (device_id, event_id, type, occurred_at, payload)
			values (${id('RET')}, 'e-1', 'smoke', now(), '{}')`;
		await login(id('RET'), registered.secret);

		expect(await retireDevice(sql, householdId, id('RET'), ACTOR)).toBe(true);

		await expect(login(id('RET'), registered.secret)).rejects.toThrowError(/Bad username or password/i);
		expect((await brokerHashes(sql)).map((d) => d.id)).not.toContain(id('RET'));
		expect(await sql`select event_id from device_events where device_id = ${id('RET')}`).toEqual([
			{ eventId: 'e-1' }
		]);
		expect(await retireDevice(sql, householdId, id('RET'), ACTOR)).toBe(false);
		expect(await rotateCredential(sql, householdId, id('RET'), ACTOR)).toBeNull();
		const [entry] = await auditOf('device', id('RET'));
		expect(entry.action).toBe('device.retire');
	});

	it('lists devices in service by default, retired ones on request, and the household page sees both', async () => {
		const inService = await listDevices(sql, { districtCode: DISTRICT, household: id('HD') });
		expect(inService.items.map((d) => d.id)).not.toContain(id('RET'));
		const retired = await listDevices(sql, { districtCode: DISTRICT, household: id('HD'), state: 'retired' });
		expect(retired.items).toEqual([expect.objectContaining({ id: id('RET'), state: 'retired' })]);
		const all = await listDevices(sql, { districtCode: DISTRICT, householdId });
		expect(all.items.map((d) => d.id)).toEqual(
			expect.arrayContaining([id('SOS'), id('EDIT'), id('ROT'), id('RET')])
		);
		expect(all.items.at(-1)!.id).toBe(id('RET'));
	});

	it('filters devices by kind, online state and low battery', async () => {
		await sql`update devices set online = true, battery = 12 where id = ${id('SOS')}`;
		await sql`update devices set online = false, battery = 80 where id = ${id('ROT')}`;
		const ids = async (filter: Parameters<typeof listDevices>[1]) =>
			(await listDevices(sql, { ...filter, household: id('HD') })).items.map((d) => d.id);
		expect(await ids({ districtCode: DISTRICT, kind: 'fall_detector' })).toEqual([id('ROT')]);
		expect(await ids({ districtCode: DISTRICT, state: 'online' })).toEqual([id('SOS')]);
		expect(await ids({ districtCode: DISTRICT, state: 'offline' })).toEqual([id('EDIT'), id('ROT')]);
		expect(await ids({ districtCode: DISTRICT, lowBattery: true })).toEqual([id('SOS')]);
	});
});

describe('devices CSV import', () => {
	const importDevices = (lines: string[], dryRun = false) =>
		runImport(sql, {
			kind: 'devices',
			fileName: 'devices.csv',
			bytes: new TextEncoder().encode(
				['device_id,household_external_id,kind,heartbeat_s,firmware,new_credential', ...lines].join('\n')
			),
			crs: 'wgs84',
			districtCode: DISTRICT,
			dryRun,
			actor: ACTOR
		});

	it('imports the good rows with fresh passwords and reports every bad row by line, recorded as a run', async () => {
		await newHousehold('HI');
		const report = await importDevices([
			`${id('I1')},${id('HI')},sos_button,300,2.0,`,
			`${id('I2')},${id('HI')},bed_vitals,600,,`,
			`${id('I3')},T-nobody-${run},smoke,300,,`,
			`${id('I4')},${id('HI')},kettle,300,,`,
			`${id('I1')},${id('HI')},gas,300,,`,
			`${id('I5')},${id('HI')},gas,3,,`,
			`bad id,${id('HI')},gas,300,,`
		]);
		expect(report.accepted).toBe(2);
		expect(report.rejected).toEqual([
			{ row: 4, reason: `household_external_id T-nobody-${run} is not a household of district ${DISTRICT}` },
			{ row: 5, reason: expect.stringMatching(/^kind "kettle" is not one of/) },
			{ row: 6, reason: `duplicate device_id ${id('I1')} (first seen on line 2)` },
			{ row: 7, reason: 'heartbeat_s 3 is outside 10..86400' },
			{ row: 8, reason: expect.stringMatching(/^device_id "bad id" must be/) }
		]);
		expect(report.credentials.map((c) => c.id)).toEqual([id('I1'), id('I2')]);
		for (const credential of report.credentials) {
			expect(
				await verifyCredential(credential.secret, (await deviceCredentialHash(sql, credential.id))!)
			).toBe(true);
		}
		const [stored] =
			await sql`select accepted, rejected, summary::text from import_runs where id = ${report.runId}`;
		expect(stored).toMatchObject({ accepted: 2, rejected: 5 });
		for (const credential of report.credentials) expect(stored.summary).not.toContain(credential.secret);
		const [entry] = await auditOf('import', report.runId);
		expect(entry).toMatchObject({
			action: 'import.run',
			actor: ACTOR,
			detail: { kind: 'devices', accepted: 2 }
		});
	});

	it('updates devices already registered, keeping their passwords unless the file asks for new ones', async () => {
		const before = {
			kept: await deviceCredentialHash(sql, id('I1')),
			renewed: await deviceCredentialHash(sql, id('I2'))
		};
		const report = await importDevices([
			`${id('I1')},${id('HI')},sos_button,120,2.1,`,
			`${id('I2')},${id('HI')},bed_vitals,600,,yes`
		]);
		expect(report.summary).toMatchObject({ added: 0, updated: 2, newCredentials: 1 });
		expect(report.credentials.map((c) => c.id)).toEqual([id('I2')]);
		expect(await deviceCredentialHash(sql, id('I1'))).toBe(before.kept);
		expect(await deviceCredentialHash(sql, id('I2'))).not.toBe(before.renewed);
		const [row] = await sql`select heartbeat_s, firmware from devices where id = ${id('I1')}`;
		expect(row).toEqual({ heartbeatS: 120, firmware: '2.1' });
	});

	it('refuses a retired device id, and writes nothing and hands out no password on a dry run', async () => {
		const householdId = (await sql`select id from households where external_id = ${id('HI')}`)[0].id;
		await retireDevice(sql, Number(householdId), id('I1'), ACTOR);
		const report = await importDevices(
			[`${id('I1')},${id('HI')},sos_button,300,,`, `${id('I9')},${id('HI')},door,300,,`],
			true
		);
		expect(report.rejected).toEqual([
			{ row: 2, reason: `device ${id('I1')} is retired; a retired id is not used again` }
		]);
		expect(report.summary).toMatchObject({ added: 1 });
		expect(report.credentials).toEqual([]);
		expect(await sql`select 1 from devices where id = ${id('I9')}`).toHaveLength(0);
	});
});

describe('households CSV import', () => {
	const HEADER = 'external_id,resident_name,phone,address,lon,lat,risk_level,consent,emergency_contacts';
	const importHouseholds = (lines: string[], header = HEADER) =>
		runImport(sql, {
			kind: 'households',
			fileName: 'households.csv',
			bytes: new TextEncoder().encode([header, ...lines].join('\n')),
			crs: 'wgs84',
			districtCode: DISTRICT,
			dryRun: false,
			actor: ACTOR
		});
	const stored = async (name: string) => {
		const [row] = await sql`
			select resident_name, phone, address, risk_level, emergency_contacts, consent, district_code
			from households where external_id = ${id(name)}`;
		return row;
	};

	it('imports emergency contacts and, on a re-import, keeps everything the file leaves empty', async () => {
		const first = await importHouseholds([
			`${id('C1')},林阿婆,0592-5551234,大同路 1 号,118.09,24.455,high,yes,李娜:13800000000:女儿;王强:0592-5550000`
		]);
		expect(first).toMatchObject({ accepted: 1, rejected: [], summary: { added: 1, updated: 0 } });

		const again = await importHouseholds([`${id('C1')},林阿婆（改名）,,,118.09,24.455,,no,`]);
		expect(again.summary).toMatchObject({ added: 0, updated: 1 });
		expect(await stored('C1')).toEqual({
			residentName: '林阿婆（改名）',
			phone: '0592-5551234',
			address: '大同路 1 号',
			riskLevel: 'high',
			emergencyContacts: [
				{ name: '李娜', phone: '13800000000', relation: '女儿' },
				{ name: '王强', phone: '0592-5550000' }
			],
			consent: false,
			districtCode: DISTRICT
		});
	});

	it('keeps the contacts when the file has no contacts column, and replaces them when a line gives some', async () => {
		await importHouseholds(
			[`${id('C1')},林阿婆,,,118.09,24.455,,yes`],
			'external_id,resident_name,phone,address,lon,lat,risk_level,consent'
		);
		expect((await stored('C1')).emergencyContacts).toHaveLength(2);

		const replaced = await importHouseholds([
			`${id('C1')},林阿婆,,,118.09,24.455,,yes,陈明:13900000000:儿子`,
			`${id('C2')},陈伯,,,118.09,24.455,,yes,陈明:not a phone`
		]);
		expect(replaced.rejected).toEqual([
			{ row: 3, reason: 'emergency contact 1 phone "not a phone" is not a phone number' }
		]);
		expect((await stored('C1')).emergencyContacts).toEqual([
			{ name: '陈明', phone: '13900000000', relation: '儿子' }
		]);
		expect(await stored('C2')).toBeUndefined();
	});

	it('refuses by its line a household of another district, and leaves that household as it was', async () => {
		addedOtherDistrict ||= await addOtherDistrict();
		await saveHousehold(sql, {
			externalId: id('ELSEWHERE'),
			districtCode: OTHER_DISTRICT,
			residentName: '湖里住户',
			phone: '0592-5559999',
			location: [118.11, 24.51],
			emergencyContacts: [{ name: '湖里联系人', phone: '13700000000' }],
			consent: true
		});
		const report = await importHouseholds([
			`${id('C3')},新住户,,,118.09,24.455,,yes,`,
			`${id('ELSEWHERE')},冒名,13800000000,,118.09,24.455,low,yes,冒名:13800000000`
		]);
		expect(report.accepted).toBe(1);
		expect(report.rejected).toEqual([
			{
				row: 3,
				reason: `external_id ${id('ELSEWHERE')} is a household of another district, not of ${DISTRICT}`
			}
		]);
		expect(await stored('ELSEWHERE')).toMatchObject({
			residentName: '湖里住户',
			phone: '0592-5559999',
			emergencyContacts: [{ name: '湖里联系人', phone: '13700000000' }],
			districtCode: OTHER_DISTRICT
		});
		expect(await stored('C3')).toMatchObject({ residentName: '新住户', districtCode: DISTRICT });
	});

	it('refuses to save a household over one of another district, whoever calls', async () => {
		const takeover = saveHousehold(sql, {
			externalId: id('ELSEWHERE'),
			districtCode: DISTRICT,
			residentName: '冒名',
			location: [118.09, 24.455],
			consent: true
		});
		await expect(takeover).rejects.toBeInstanceOf(HouseholdOfOtherDistrictError);
		expect((await stored('ELSEWHERE')).districtCode).toBe(OTHER_DISTRICT);
	});
});

describe('devices CSV import across districts', () => {
	it('refuses by its line a device of another district: it is neither moved nor given a new password', async () => {
		addedOtherDistrict ||= await addOtherDistrict();
		const elsewhere = await saveHousehold(sql, {
			externalId: id('HOTHER'),
			districtCode: OTHER_DISTRICT,
			residentName: '湖里住户',
			location: [118.11, 24.51],
			consent: true
		});
		await registerDevice(sql, { id: id('DOTHER'), householdId: elsewhere, kind: 'smoke' });
		const hashBefore = await deviceCredentialHash(sql, id('DOTHER'));
		const here = await newHousehold('HHERE');

		const report = await runImport(sql, {
			kind: 'devices',
			fileName: 'devices.csv',
			bytes: new TextEncoder().encode(
				[
					'device_id,household_external_id,kind,heartbeat_s,firmware,new_credential',
					`${id('DHERE')},${id('HHERE')},door,300,,`,
					`${id('DOTHER')},${id('HHERE')},gas,60,9.9,yes`
				].join('\n')
			),
			crs: 'wgs84',
			districtCode: DISTRICT,
			dryRun: false,
			actor: ACTOR
		});

		expect(report.rejected).toEqual([
			{ row: 3, reason: `device ${id('DOTHER')} is registered in another district, not in ${DISTRICT}` }
		]);
		expect(report.credentials.map((c) => c.id)).toEqual([id('DHERE')]);
		const [device] =
			await sql`select household_id, kind, heartbeat_s, firmware from devices where id = ${id('DOTHER')}`;
		expect(device).toEqual({
			householdId: String(elsewhere),
			kind: 'smoke',
			heartbeatS: 300,
			firmware: null
		});
		expect(await deviceCredentialHash(sql, id('DOTHER'))).toBe(hashBefore);
		const [moved] = await sql`select household_id from devices where id = ${id('DHERE')}`;
		expect(Number(moved.householdId)).toBe(here);
	});
});

describe('the audit log', () => {
	/**
	 * Runs a statement the database must refuse on a connection of its own: behind the embedded
	 * PGlite socket, the responses after a refused statement can arrive shifted onto the next query
	 * of the same connection.
	 */
	async function refusal(statement: (own: Sql) => Promise<unknown>): Promise<string> {
		const own = createSql(inject('databaseUrl'), { max: 1 });
		try {
			await statement(own);
			return 'not refused';
		} catch (error) {
			return (error as Error).message;
		} finally {
			await own.end();
		}
	}

	it('refuses to change or remove an entry, whoever asks', async () => {
		await recordAudit(sql, {
			actor: ACTOR,
			action: 'household.read',
			subjectType: 'household',
			subjectId: 0
		});
		const [entry] = await recentAudit(sql, { subjectType: 'household', subjectId: '0', limit: 1 });
		expect(
			await refusal((own) => own`update audit_log set actor = 'someone else' where id = ${entry.id}`)
		).toBe('audit_log is append-only: UPDATE is not allowed');
		expect(await refusal((own) => own`delete from audit_log where id = ${entry.id}`)).toBe(
			'audit_log is append-only: DELETE is not allowed'
		);
		const [after] = await recentAudit(sql, { subjectType: 'household', subjectId: '0', limit: 1 });
		expect(after).toEqual(entry);
	});
});
