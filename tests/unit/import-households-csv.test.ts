import { describe, expect, it } from 'vitest';
import { parseHouseholdsCsv } from '../../src/lib/server/imports/csv-records';

const HEADER = 'external_id,resident_name,phone,address,lon,lat,risk_level,consent,emergency_contacts';

function parse(...lines: string[]) {
	return parseHouseholdsCsv([HEADER, ...lines].join('\n'), { crs: 'wgs84' });
}

describe('parseHouseholdsCsv', () => {
	it('reads emergency contacts as name:phone:relation separated by semicolons, relation optional', () => {
		const { accepted, rejected } = parse(
			'H-1,林阿婆,,,118.081,24.458,,yes,李娜:13800000000:女儿;王强:0592-5550000'
		);
		expect(rejected).toEqual([]);
		expect(accepted[0].emergencyContacts).toEqual([
			{ name: '李娜', phone: '13800000000', relation: '女儿' },
			{ name: '王强', phone: '0592-5550000' }
		]);
	});

	it('accepts the full-width separators of Chinese input methods and a trailing semicolon', () => {
		const { accepted } = parse('H-1,林阿婆,,,118.081,24.458,,yes,李娜：13800000000：女儿；王强:13900000000;');
		expect(accepted[0].emergencyContacts).toEqual([
			{ name: '李娜', phone: '13800000000', relation: '女儿' },
			{ name: '王强', phone: '13900000000' }
		]);
	});

	it('leaves empty cells as null, so that an import keeps what is on record', () => {
		const { accepted } = parse('H-1,林阿婆,,,118.081,24.458,,no,');
		expect(accepted[0]).toMatchObject({
			phone: null,
			address: null,
			riskLevel: null,
			emergencyContacts: null,
			consent: false
		});
	});

	it('reads a file without the emergency_contacts column, leaving the contacts as they are', () => {
		const text = 'external_id,resident_name,lon,lat,consent\nH-1,林阿婆,118.081,24.458,yes';
		const { accepted } = parseHouseholdsCsv(text, { crs: 'wgs84' });
		expect(accepted[0].emergencyContacts).toBeNull();
	});

	it('rejects malformed contacts by line, naming the contact and the problem', () => {
		const { accepted, rejected } = parse(
			'H-1,林阿婆,,,118.081,24.458,,yes,李娜:13800000000',
			'H-2,陈伯,,,118.09,24.46,,yes,李娜',
			'H-3,王奶奶,,,118.09,24.46,,yes,李娜:call me:女儿',
			'H-4,张爷爷,,,118.09,24.46,,yes,:13800000000',
			'H-5,李阿姨,,,118.09,24.46,,yes,李娜:13800000000:女儿:多余',
			`H-6,赵阿公,,,118.09,24.46,,yes,李娜:13800000000:${'长'.repeat(21)}`
		);
		expect(accepted.map((h) => h.externalId)).toEqual(['H-1']);
		expect(rejected).toEqual([
			{ row: 3, reason: 'emergency contact 1 has no phone (write name:phone[:relation])' },
			{ row: 4, reason: 'emergency contact 1 phone "call me" is not a phone number' },
			{ row: 5, reason: 'emergency contact 1 has no name (write name:phone[:relation])' },
			{
				row: 6,
				reason: 'emergency contact 1 "李娜:13800000000:女儿:多余" has more than name:phone:relation'
			},
			{ row: 7, reason: 'emergency contact 1 relation is longer than 20 characters' }
		]);
	});

	it('rejects more than ten contacts', () => {
		const eleven = Array.from({ length: 11 }, (_, i) => `联系人${i}:1380000000${i % 10}`).join(';');
		const { rejected } = parse(`H-1,林阿婆,,,118.081,24.458,,yes,"${eleven}"`);
		expect(rejected).toEqual([{ row: 2, reason: 'emergency_contacts lists 11 contacts, at most 10' }]);
	});
});
