/**
 * The rules a place-name change must pass before a reviewer may approve it, each with a stable code
 * and a message from the catalogue: no duplicate standard name of the same class inside the same
 * street (街道), no empty or mixed-script names, geometry inside the district, pinyin present.
 * Pure: the server finds the neighbours and whether the geometry lies inside the district
 * (src/lib/server/gazetteer/review.ts) and passes them in.
 */
import { translate, type Locale, type MessageKey } from '../i18n/messages';
import { isPlaceClassCode } from './classes';

export type RuleCode =
	| 'NAME_EMPTY'
	| 'NAME_MIXED_SCRIPT'
	| 'DUPLICATE_IN_STREET'
	| 'OUTSIDE_DISTRICT'
	| 'PINYIN_MISSING'
	| 'CLASS_UNKNOWN';

export interface RuleViolation {
	code: RuleCode;
	/** The field the reviewer should look at. */
	field: string;
	message: string;
}

export interface RuleSubject {
	/** Absent for a name that is not in the gazetteer yet. */
	id?: number;
	standardName: string;
	pinyin: string;
	classCode: string;
	aliases?: readonly { name: string; kind: 'alias' | 'former' }[];
}

export interface RuleContext {
	/** Other names (published or waiting for review) in the same street. */
	sameStreet: readonly { id: number; standardName: string; classCode: string }[];
	/** Null when the change has no geometry. */
	insideDistrict: boolean | null;
	streetName?: string | null;
}

/** Han characters only; 〇 counts as one. Anything else (Latin letters, digits, symbols) mixes scripts. */
const NOT_HAN = /[^\p{Script=Han}〇]/gu;

/**
 * Every rule the change breaks; an empty list means it may be approved.
 *
 * @example checkApprovalRules({ standardName: '', pinyin: '', classCode: '53100' }, ctx)
 * // [{ code: 'NAME_EMPTY', … }, { code: 'PINYIN_MISSING', … }]
 */
export function checkApprovalRules(
	subject: RuleSubject,
	context: RuleContext,
	locale: Locale = 'zh-CN'
): RuleViolation[] {
	const out: RuleViolation[] = [];
	const add = (code: RuleCode, field: string, values?: Record<string, string | number>) =>
		out.push({ code, field, message: translate(locale, `gazetteer.rule.${code}` as MessageKey, values) });

	const name = subject.standardName.trim();
	if (!name) add('NAME_EMPTY', 'standardName');
	const names: [string, string][] = [
		[name, 'standardName'],
		...(subject.aliases ?? []).map((a, i) => [a.name.trim(), `aliases.${i}`] as [string, string])
	];
	for (const [text, field] of names) {
		if (!text) {
			if (field !== 'standardName') add('NAME_EMPTY', field);
			continue;
		}
		const foreign = [...new Set(text.match(NOT_HAN) ?? [])];
		if (foreign.length) add('NAME_MIXED_SCRIPT', field, { name: text, chars: foreign.join(' ') });
	}
	if (!isPlaceClassCode(subject.classCode)) add('CLASS_UNKNOWN', 'classCode', { code: subject.classCode });
	if (name) {
		const twin = context.sameStreet.find(
			(other) =>
				other.id !== subject.id && other.standardName === name && other.classCode === subject.classCode
		);
		if (twin)
			add('DUPLICATE_IN_STREET', 'standardName', {
				name,
				street: context.streetName ?? '',
				id: twin.id
			});
	}
	if (context.insideDistrict === false) add('OUTSIDE_DISTRICT', 'geometry');
	if (!subject.pinyin.trim()) add('PINYIN_MISSING', 'pinyin');
	return out;
}
