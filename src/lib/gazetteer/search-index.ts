/**
 * The gazetteer's search index, in memory and pure: one box for Chinese (exact, prefix, substring
 * through a character uni/bigram index), pinyin with or without tones and spaces (prefix search on
 * sorted keys that start at every syllable), pinyin initials, aliases and former names, and one typo
 * (edit distance 1: the query's one-edit variants looked up as pinyin keys, as SymSpell's
 * neighbourhood idea does at query time; Chinese by verifying bigram candidates, and homophone typos
 * 连前 → 莲前 through the query's own pinyin). Ranked by match quality, then importance.
 *
 * The server keeps one per district, built from the published versions and updated on every
 * approval (src/lib/server/gazetteer/search.ts); the benchmark builds one of 100,000 names.
 */
import { placeClass } from './classes';
import { foldLatin, searchSyllables, type Readings } from './pinyin';

export type TermKind = 'name' | 'alias' | 'former';

export interface IndexedName {
	id: number;
	name: string;
	/** The official pinyin shown with the hit. */
	pinyin: string;
	classCode: string;
	/** Overrides the class's importance (0–100). */
	importance?: number;
	aliases?: readonly { name: string; kind: 'alias' | 'former' }[];
	/** A representative point for highlighting on the map, WGS-84. */
	point?: [number, number] | null;
	regionCode?: string | null;
}

export type MatchQuality =
	| 'exact'
	| 'prefix'
	| 'contains'
	| 'pinyin'
	| 'pinyin-prefix'
	| 'pinyin-inside'
	| 'initials'
	| 'homophone'
	| 'typo';

export interface SearchHit {
	id: number;
	name: string;
	pinyin: string;
	classCode: string;
	point: [number, number] | null;
	regionCode: string | null;
	/** The name, alias or former name that matched. */
	matched: string;
	via: TermKind;
	quality: MatchQuality;
	score: number;
}

/** Match quality → score; aliases and former names score a little under the standard name. */
const QUALITY_SCORE: Record<MatchQuality, number> = {
	exact: 100,
	prefix: 90,
	pinyin: 85,
	initials: 80,
	'pinyin-prefix': 75,
	contains: 70,
	'pinyin-inside': 60,
	homophone: 50,
	typo: 40
};
const VIA_PENALTY: Record<TermKind, number> = { name: 0, alias: 3, former: 5 };

/** At most this many keys are read from one prefix range, so a one-letter query stays fast. */
const RANGE_CAP = 4000;

interface Term {
	entry: number;
	text: string;
	kind: TermKind;
	pinyin: string;
	initials: string;
	syllables: string[];
	alive: boolean;
}

interface Entry {
	item: IndexedName;
	importance: number;
	terms: number[];
}

const HAN = /\p{Script=Han}/u;

export class GazetteerIndex {
	private readonly entries = new Map<number, Entry>();
	private readonly terms: Term[] = [];
	private readonly grams = new Map<string, number[]>();
	private readonly exact = new Map<string, number[]>();
	/** Sorted pinyin keys: every syllable suffix of every term; [key, term, syllable offset]. */
	private pinyinKeys: [string, number, number][] = [];
	private initialKeys: [string, number][] = [];
	private dirty = false;

	constructor(private readonly readings?: Readings) {}

	get size(): number {
		return this.entries.size;
	}

	/** Adds or replaces a name (an approval publishes a new version of it). */
	upsert(item: IndexedName): void {
		this.remove(item.id);
		const importance = item.importance ?? placeClass(item.classCode)?.importance ?? 50;
		const entry: Entry = { item, importance, terms: [] };
		const texts: [string, TermKind][] = [
			[item.name, 'name'],
			...(item.aliases ?? []).map((a) => [a.name, a.kind] as [string, TermKind])
		];
		for (const [text, kind] of texts) {
			if (!text) continue;
			const syllables = searchSyllables(text, this.readings);
			const termId = this.terms.length;
			this.terms.push({
				entry: item.id,
				text,
				kind,
				pinyin: syllables.join(''),
				initials: syllables.map((s) => s[0] ?? '').join(''),
				syllables,
				alive: true
			});
			entry.terms.push(termId);
			push(this.exact, text, termId);
			for (const gram of gramsOf(text)) push(this.grams, gram, termId);
		}
		this.entries.set(item.id, entry);
		this.dirty = true;
	}

	/** Takes a name out (retired, or about to be replaced). */
	remove(id: number): void {
		const entry = this.entries.get(id);
		if (!entry) return;
		for (const termId of entry.terms) this.terms[termId].alive = false;
		this.entries.delete(id);
		this.dirty = true;
	}

	/** Sorted keys are rebuilt lazily, once after a batch of changes. */
	private refresh(): void {
		if (!this.dirty) return;
		const pinyinKeys: [string, number, number][] = [];
		const initialKeys: [string, number][] = [];
		this.terms.forEach((term, termId) => {
			if (!term.alive) return;
			let rest = term.pinyin;
			for (let i = 0; i < term.syllables.length && rest; i++) {
				pinyinKeys.push([rest, termId, i]);
				rest = rest.slice(term.syllables[i].length);
			}
			if (term.initials) initialKeys.push([term.initials, termId]);
		});
		pinyinKeys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
		initialKeys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
		this.pinyinKeys = pinyinKeys;
		this.initialKeys = initialKeys;
		for (const [gram, list] of this.grams) {
			const alive = list.filter((t) => this.terms[t].alive);
			if (alive.length) this.grams.set(gram, alive);
			else this.grams.delete(gram);
		}
		this.dirty = false;
	}

	/**
	 * The best `limit` names for what was typed.
	 *
	 * @example index.search('lqjd') // 莲前街道 first
	 */
	search(query: string, limit = 20): SearchHit[] {
		this.refresh();
		const text = query.replace(/\s+/g, '');
		if (!text) return [];
		const found = new Map<number, { termId: number; quality: MatchQuality; score: number }>();
		const offer = (termId: number, quality: MatchQuality) => {
			const term = this.terms[termId];
			if (!term.alive) return;
			const score = QUALITY_SCORE[quality] - VIA_PENALTY[term.kind];
			const best = found.get(term.entry);
			if (!best || best.score < score) found.set(term.entry, { termId, quality, score });
		};
		// The lower tiers (homophones, typos) only run while the better ones found fewer than `limit`:
		// their scores are lower, so they could not reach the answer anyway.
		const enough = () => found.size >= limit;
		if (HAN.test(text)) this.searchChinese(text, offer, enough);
		else this.searchLatin(foldLatin(text.replace(/[0-9]/g, '')), offer, limit);
		return this.rank(found, limit);
	}

	private searchChinese(
		text: string,
		offer: (t: number, q: MatchQuality) => void,
		enough: () => boolean
	): void {
		for (const termId of this.exact.get(text) ?? []) offer(termId, 'exact');
		const chars = [...text];
		const grams = chars.length === 1 ? chars : chars.slice(1).map((c, i) => chars[i] + c);
		const lists = grams.map((g) => this.grams.get(g) ?? []).sort((a, b) => a.length - b.length);
		if (lists[0]?.length) {
			let seen = 0;
			for (const termId of lists[0]) {
				const term = this.terms[termId];
				if (!term.alive || !term.text.includes(text)) continue;
				offer(termId, term.text.startsWith(text) ? 'prefix' : 'contains');
				if (++seen >= RANGE_CAP) break;
			}
		}
		if (enough()) return;
		// Homophones (a wrong character of the same sound) through the query's own pinyin.
		const sound = searchSyllables(text, this.readings).join('');
		this.prefixRange(this.pinyinKeys, sound, (key, termId, offset) => {
			if (offset === 0) offer(termId, 'homophone');
		});
		if (chars.length >= 3 && !enough()) {
			// One wrong, missing or extra character cannot break both the first and the last pair of
			// characters (from four characters on), so candidates hold one of them.
			const candidates = new Set<number>();
			for (const gram of [grams[0], grams[grams.length - 1]])
				for (const termId of (this.grams.get(gram) ?? []).slice(0, RANGE_CAP)) candidates.add(termId);
			for (const termId of candidates) {
				const term = this.terms[termId];
				if (term.alive && Math.abs(term.text.length - text.length) <= 1 && withinOneEdit(term.text, text))
					offer(termId, 'typo');
			}
		}
	}

	private searchLatin(text: string, offer: (t: number, q: MatchQuality) => void, limit: number): void {
		if (!text) return;
		let hits = 0;
		this.prefixRange(this.pinyinKeys, text, (key, termId, offset) => {
			hits++;
			if (offset > 0) offer(termId, 'pinyin-inside');
			else offer(termId, key === text ? 'pinyin' : 'pinyin-prefix');
		});
		this.prefixRange(this.initialKeys, text, (key, termId) => {
			hits++;
			offer(termId, key === text ? 'initials' : 'pinyin-prefix');
		});
		if (hits >= limit || text.length < 4) return;
		for (const variant of editsOne(text)) {
			this.prefixRange(
				this.pinyinKeys,
				variant,
				(_key, termId, offset) => {
					if (offset === 0) offer(termId, 'typo');
				},
				50
			);
		}
	}

	/** Calls `visit` for each key starting with `prefix`, at most `cap` of them. */
	private prefixRange<K extends [string, number, ...number[]]>(
		keys: K[],
		prefix: string,
		visit: (key: string, termId: number, offset: number) => void,
		cap = RANGE_CAP
	): void {
		let lo = 0;
		let hi = keys.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (keys[mid][0] < prefix) lo = mid + 1;
			else hi = mid;
		}
		for (let i = lo, n = 0; i < keys.length && n < cap && keys[i][0].startsWith(prefix); i++, n++)
			visit(keys[i][0], keys[i][1], (keys[i][2] as number | undefined) ?? 0);
	}

	private rank(
		found: Map<number, { termId: number; quality: MatchQuality; score: number }>,
		limit: number
	): SearchHit[] {
		// Match quality first, then importance, then the shorter name.
		const ranked: [number, number][] = [];
		for (const [id, best] of found) {
			const entry = this.entries.get(id)!;
			ranked.push([
				best.score * 10_000 + entry.importance * 100 + (99 - Math.min(entry.item.name.length, 99)),
				id
			]);
		}
		ranked.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
		return ranked.slice(0, limit).map(([, id]) => {
			const { item } = this.entries.get(id)!;
			const best = found.get(id)!;
			const term = this.terms[best.termId];
			return {
				id,
				name: item.name,
				pinyin: item.pinyin,
				classCode: item.classCode,
				point: item.point ?? null,
				regionCode: item.regionCode ?? null,
				matched: term.text,
				via: term.kind,
				quality: best.quality,
				score: best.score
			};
		});
	}
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}

/** Every character and every pair of neighbouring characters. */
function gramsOf(text: string): Set<string> {
	const chars = [...text];
	const grams = new Set(chars);
	for (let i = 1; i < chars.length; i++) grams.add(chars[i - 1] + chars[i]);
	return grams;
}

const LETTERS = 'abcdefghijklmnopqrstuwxyz';

/** All strings one deletion, transposition, substitution or insertion away (Norvig's edits1). */
export function editsOne(word: string): Set<string> {
	const out = new Set<string>();
	for (let i = 0; i <= word.length; i++) {
		const head = word.slice(0, i);
		const tail = word.slice(i);
		if (tail) out.add(head + tail.slice(1));
		if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
		for (const c of LETTERS) {
			if (tail) out.add(head + c + tail.slice(1));
			out.add(head + c + tail);
		}
	}
	out.delete(word);
	return out;
}

/** Whether two strings are at most one insertion, deletion or substitution apart. */
export function withinOneEdit(a: string, b: string): boolean {
	const x = [...a];
	const y = [...b];
	if (Math.abs(x.length - y.length) > 1) return false;
	let i = 0;
	while (i < x.length && i < y.length && x[i] === y[i]) i++;
	if (x.length === y.length) return x.slice(i + 1).join('') === y.slice(i + 1).join('');
	const [long, short] = x.length > y.length ? [x, y] : [y, x];
	return long.slice(i + 1).join('') === short.slice(i).join('');
}
