/**
 * Place-name pinyin in the official form (中国地名汉语拼音字母拼写规则 1984; GB/T 16159; generic
 * terms after GB/T 38207): the specific part (专名) is one word with a capital initial, the generic
 * part (通名) a separate capitalised word — 莲前街道 → Lianqian Jiedao, 思明区 → Siming Qu,
 * 莲前西路 → Lianqian Xilu (a one-syllable modifier joins the generic it qualifies). Inside a word,
 * an apostrophe separates a syllable starting with a, o or e from the one before (西安 → Xi'an).
 *
 * Readings come from pinyin-pro, overridden by a reviewed dictionary of place-name readings
 * (厦门 xià mén, not shà): local readings of polyphonic characters follow the place, not the
 * dictionary's common reading. Pure: the dictionary is passed in; the server keeps the editable one
 * in `place_name_readings`, seeded from DEFAULT_READINGS.
 */
import { pinyin } from 'pinyin-pro';
import type { PlaceClassKey } from './classes';
import { placeClass } from './classes';

/** A reviewed reading: the word and its toned syllables, one per character. */
export interface PlaceReading {
	word: string;
	reading: string;
	note?: string;
}

/** Word → toned syllables. */
export type Readings = ReadonlyMap<string, readonly string[]>;

/**
 * Readings checked by hand against Xiamen's official spellings (road signs, the civil-affairs
 * gazetteer); the library's common readings are wrong or tone-sandhied for these.
 */
export const DEFAULT_READINGS: readonly PlaceReading[] = [
	{ word: '厦门', reading: 'xià mén', note: '厦门读 xià，非 shà' },
	{ word: '厦港', reading: 'xià gǎng', note: '以厦门得名，读 xià' },
	{ word: '厦禾', reading: 'xià hé', note: '以厦门得名，读 xià' },
	{ word: '厦大', reading: 'xià dà', note: '厦门大学简称，读 xià' },
	{ word: '大厦', reading: 'dà shà', note: '通名"大厦"仍读 shà' },
	{ word: '思明', reading: 'sī míng', note: 'Siming' },
	{ word: '曾厝垵', reading: 'zēng cuò ān', note: '曾作地名、姓读 zēng：Zengcuo’an' },
	{ word: '曾厝', reading: 'zēng cuò', note: '曾读 zēng' },
	{ word: '文曾', reading: 'wén zēng', note: '文曾路 Wenzeng Lu' },
	{ word: '斗西', reading: 'dǒu xī', note: '斗西路 Douxi Lu' },
	{ word: '一里', reading: 'yī lǐ', note: '地名拼写用原调，不标变调' },
	{ word: '筼筜', reading: 'yún dāng', note: 'Yundang' },
	{ word: '鼓浪屿', reading: 'gǔ làng yǔ', note: 'Gulangyu' },
	{ word: '万石', reading: 'wàn shí', note: '万石山 Wanshi Shan' },
	{ word: '长青', reading: 'cháng qīng', note: 'Changqing' },
	{ word: '槟榔', reading: 'bīn láng', note: 'Binlang' }
];

export function readingsMap(entries: readonly PlaceReading[]): Map<string, string[]> {
	return new Map(entries.map((e) => [e.word, e.reading.trim().split(/\s+/)]));
}

const DEFAULT_MAP = readingsMap(DEFAULT_READINGS);

/**
 * Generic terms (通名) by class, longest first within each class. A name of an unknown class tries
 * them all. 村 is left out on purpose: natural-village names are written joined (莲花五村).
 */
const GENERICS: Record<PlaceClassKey, string[]> = {
	administrative: ['街道', '区', '镇', '乡'],
	community: ['社区', '居委会', '村委会'],
	residential: ['小区', '新村', '花园'],
	road: [
		'东路',
		'西路',
		'南路',
		'北路',
		'中路',
		'一路',
		'二路',
		'三路',
		'四路',
		'五路',
		'大道',
		'大街',
		'隧道',
		'路',
		'街',
		'巷',
		'道'
	],
	bridge: ['大桥', '桥'],
	mountain: ['山', '岩', '峰', '岭'],
	water: ['水库', '湖', '河', '溪', '湾', '港'],
	park: ['公园', '花园', '广场', '园'],
	landmark: ['广场', '炮台', '纪念馆', '寺', '塔'],
	building: ['大厦', '大楼', '中心', '楼'],
	facility: ['大学', '中学', '小学', '医院', '中心', '站']
};

/** A generic term led by a one-syllable modifier (东路, 一路). */
const MODIFIED_GENERIC = /^[东西南北中一二三四五]路$/;

const ALL_GENERICS = [...new Set(Object.values(GENERICS).flat())].sort((a, b) => b.length - a.length);

export interface NameParts {
	specific: string;
	generic: string;
}

/**
 * Splits a standard name into its specific and generic parts by the class's generic terms.
 *
 * @example splitName('莲前街道', '11000') // { specific: '莲前', generic: '街道' }
 */
export function splitName(name: string, classCode?: string): NameParts {
	const key = classCode ? placeClass(classCode)?.key : undefined;
	const candidates = key ? [...GENERICS[key]].sort((a, b) => b.length - a.length) : ALL_GENERICS;
	for (const generic of candidates) {
		if (!name.endsWith(generic)) continue;
		const specific = name.slice(0, -generic.length);
		// 斗西路 is 斗西 + 路, not 斗 + 西路: a one-character specific keeps the modifier.
		if (specific.length < (MODIFIED_GENERIC.test(generic) ? 2 : 1)) continue;
		return { specific, generic };
	}
	return { specific: name, generic: '' };
}

const HAN = /\p{Script=Han}/u;

/**
 * The toned syllables of a text: dictionary words first (longest match), the library for the rest.
 * A character that is not Han (a digit, a letter) stays as it is, as its own "syllable".
 */
export function syllablesOf(text: string, readings: Readings = DEFAULT_MAP): string[] {
	const chars = [...text];
	let longest = 1;
	for (const word of readings.keys()) longest = Math.max(longest, [...word].length);
	const out: string[] = [];
	let pending = '';
	const flush = () => {
		if (!pending) return;
		const run = pinyin(pending, { type: 'array', toneSandhi: false, nonZh: 'consecutive' });
		out.push(...run.filter((s) => s.trim() !== ''));
		pending = '';
	};
	for (let i = 0; i < chars.length;) {
		let matched = 0;
		for (let n = Math.min(longest, chars.length - i); n >= 1; n--) {
			const reading = readings.get(chars.slice(i, i + n).join(''));
			if (reading && reading.length === n) {
				flush();
				out.push(...reading);
				matched = n;
				break;
			}
		}
		if (matched) {
			i += matched;
			continue;
		}
		if (!HAN.test(chars[i])) {
			flush();
			out.push(chars[i]);
		} else pending += chars[i];
		i++;
	}
	flush();
	return out;
}

/** Removes tone marks, keeping ü (the official toneless spelling keeps it: Lüling). */
export function stripTones(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u0302\u0304\u030c]/g, '')
		.normalize('NFC');
}

/** Joins syllables into one word: apostrophe before a, o, e after another syllable; capital initial. */
export function joinWord(syllables: readonly string[]): string {
	let word = '';
	for (const syllable of syllables) {
		if (word && /^[aoeāáǎàōóǒòēéěè]/i.test(syllable)) word += "'";
		word += syllable;
	}
	return word ? word[0].toUpperCase() + word.slice(1) : word;
}

export interface PinyinOptions {
	classCode?: string;
	readings?: Readings;
	/** Tone marks on (Lián qián) or off (the default, as on signs). */
	tones?: boolean;
	/** An explicit split; otherwise splitName by the class. */
	parts?: NameParts;
}

/**
 * The official pinyin of a place name.
 *
 * @example placeNamePinyin('思明区', { classCode: '11000' }) // 'Siming Qu'
 * @example placeNamePinyin('曾厝垵社区', { classCode: '31000' }) // "Zengcuo'an Shequ"
 */
export function placeNamePinyin(name: string, options: PinyinOptions = {}): string {
	const readings = options.readings ?? DEFAULT_MAP;
	const parts = options.parts ?? splitName(name.trim(), options.classCode);
	const words = [parts.specific, parts.generic]
		.filter((part) => part !== '')
		.map((part) => joinWord(syllablesOf(part, readings)));
	const text = words.join(' ');
	return options.tones ? text : stripTones(text);
}

/** Toneless lowercase syllables as search wants them: ü typed as v or u both match (we store u). */
export function searchSyllables(name: string, readings: Readings = DEFAULT_MAP): string[] {
	return syllablesOf(name, readings).map((s) => foldLatin(s));
}

/** Lowercase, no tones, ü → u, nothing but a–z and 0–9. */
export function foldLatin(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/v/g, 'u')
		.replace(/[^a-z0-9]/g, '');
}
