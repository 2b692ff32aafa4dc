/** The approval rules: each broken rule answers with its code, its field and its message. */
import { describe, expect, it } from 'vitest';
import { checkApprovalRules, type RuleContext } from '../../src/lib/gazetteer/rules';

const ROAD = '53100';
const inside: RuleContext = { sameStreet: [], insideDistrict: true, streetName: '莲前街道' };

describe('approval rules', () => {
	it('passes a well-formed road inside the district', () => {
		expect(
			checkApprovalRules({ standardName: '莲前西路', pinyin: 'Lianqian Xilu', classCode: ROAD }, inside)
		).toEqual([]);
	});

	it('refuses an empty name', () => {
		const [violation] = checkApprovalRules({ standardName: '  ', pinyin: 'X', classCode: ROAD }, inside);
		expect(violation).toEqual({ code: 'NAME_EMPTY', field: 'standardName', message: '名称不能为空' });
	});

	it('refuses a name mixing Chinese and Latin letters or digits', () => {
		const [violation] = checkApprovalRules(
			{ standardName: '莲前A路2', pinyin: 'X', classCode: ROAD },
			inside
		);
		expect(violation.code).toBe('NAME_MIXED_SCRIPT');
		expect(violation.message).toBe('名称「莲前A路2」混用了汉字以外的文字：A 2');
	});

	it('checks aliases and former names for mixed scripts too', () => {
		const [violation] = checkApprovalRules(
			{
				standardName: '莲前西路',
				pinyin: 'X',
				classCode: ROAD,
				aliases: [{ name: 'Lianqian路', kind: 'alias' }]
			},
			inside
		);
		expect(violation).toMatchObject({ code: 'NAME_MIXED_SCRIPT', field: 'aliases.0' });
	});

	it('refuses a duplicate standard name of the same class in the same street', () => {
		const context: RuleContext = {
			...inside,
			sameStreet: [
				{ id: 7, standardName: '莲前西路', classCode: ROAD },
				{ id: 8, standardName: '莲前西路', classCode: '72000' }
			]
		};
		const violations = checkApprovalRules(
			{ standardName: '莲前西路', pinyin: 'X', classCode: ROAD },
			context
		);
		expect(violations).toEqual([
			{
				code: 'DUPLICATE_IN_STREET',
				field: 'standardName',
				message: '莲前街道内已有同类地名「莲前西路」（编号 7），同一街道内同类标准名称不得重复'
			}
		]);
	});

	it('does not count the name itself as its own duplicate', () => {
		const context = { ...inside, sameStreet: [{ id: 7, standardName: '莲前西路', classCode: ROAD }] };
		expect(
			checkApprovalRules({ id: 7, standardName: '莲前西路', pinyin: 'X', classCode: ROAD }, context)
		).toEqual([]);
	});

	it('refuses a geometry outside the district', () => {
		const violations = checkApprovalRules(
			{ standardName: '莲前西路', pinyin: 'X', classCode: ROAD },
			{ ...inside, insideDistrict: false }
		);
		expect(violations).toEqual([
			{ code: 'OUTSIDE_DISTRICT', field: 'geometry', message: '位置不在本区范围内' }
		]);
	});

	it('refuses a change without pinyin', () => {
		const violations = checkApprovalRules({ standardName: '莲前西路', pinyin: ' ', classCode: ROAD }, inside);
		expect(violations).toEqual([{ code: 'PINYIN_MISSING', field: 'pinyin', message: '缺少汉语拼音' }]);
	});

	it('refuses an unknown class code', () => {
		const [violation] = checkApprovalRules(
			{ standardName: '莲前西路', pinyin: 'X', classCode: '99999' },
			inside
		);
		expect(violation).toMatchObject({ code: 'CLASS_UNKNOWN', message: '未知的地名类别代码 99999' });
	});

	it('speaks English when asked', () => {
		const [violation] = checkApprovalRules({ standardName: '', pinyin: 'X', classCode: ROAD }, inside, 'en');
		expect(violation.message).toBe('The name must not be empty');
	});
});
