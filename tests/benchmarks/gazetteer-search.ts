/**
 * Gazetteer search at 100,000 names, without the database: names generated from common place-name
 * characters and the classes' generic terms (a tenth with an alias, a twentieth with a former name),
 * indexed in memory, then 2,000 queries of every kind the search box takes — Chinese names and
 * prefixes, single characters, pinyin with spaces and tones, initials, short pinyin prefixes, one
 * typo, homophones, aliases and former names. Called by tests/benchmarks/run.ts.
 */
import { PLACE_CLASSES } from '../../src/lib/gazetteer/classes';
import { placeNamePinyin } from '../../src/lib/gazetteer/pinyin';
import { GazetteerIndex, type IndexedName } from '../../src/lib/gazetteer/search-index';
import type { BenchRow } from './run';

const NAMES = 100_000;
const QUERIES = 2_000;
const CHARS =
	'莲前思明鹭江厦禾湖滨演武镇海开元龙头万石鸿虎仙岳云顶五老日光筼筜白城曾厝垵黄文屏金榜滨中双涵浦南寿祥东坪溪西郭四里槟榔光一振兴育秀阁桥官任山鸡亭怡顺薇埔丰侨福瑞景翔何洪林塔岭兜成观音嘉盈翠花坂松柏华内厝沙坡尾巡司下沃美仁后天梧村灶深田坑希望阳台';
const GENERICS: Record<string, string[]> = {
	'11000': ['街道'],
	'31000': ['社区'],
	'41000': ['小区', '新村'],
	'53100': ['路', '街', '巷', '西路', '东路', '南路', '北路', '大道'],
	'54000': ['桥', '大桥'],
	'61000': ['湖', '水库', '溪'],
	'72000': ['公园', '花园'],
	'73000': ['广场', '寺'],
	'81000': ['大厦', '楼'],
	'91000': ['中心', '小学', '医院'],
	'11100': ['山', '岩', '峰']
};

/** Mulberry32: a small seeded generator, so every run measures the same names and queries. */
function random(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const chars = [...CHARS];

export function generateNames(count: number, rand = random(42)): IndexedName[] {
	const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
	const names: IndexedName[] = [];
	for (let id = 1; id <= count; id++) {
		const cls = pick(PLACE_CLASSES);
		const length = rand() < 0.7 ? 2 : 3;
		const specific = Array.from({ length }, () => pick(chars)).join('');
		const name = specific + pick(GENERICS[cls.code]);
		const aliases: { name: string; kind: 'alias' | 'former' }[] = [];
		if (rand() < 0.1)
			aliases.push({ name: Array.from({ length: 2 }, () => pick(chars)).join('') + '里', kind: 'alias' });
		if (rand() < 0.05)
			aliases.push({ name: Array.from({ length: 3 }, () => pick(chars)).join('') + '路', kind: 'former' });
		names.push({
			id,
			name,
			classCode: cls.code,
			pinyin: placeNamePinyin(name, { classCode: cls.code }),
			aliases,
			point: [118.06 + rand() * 0.14, 24.42 + rand() * 0.09]
		});
	}
	return names;
}

function typo(text: string, rand: () => number): string {
	const i = Math.floor(rand() * text.length);
	return rand() < 0.5 ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + 'q' + text.slice(i + 1);
}

function queriesFor(names: IndexedName[], rand = random(7)): string[] {
	const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
	const kinds: ((n: IndexedName) => string)[] = [
		(n) => n.name,
		(n) => n.name.slice(0, 2),
		(n) => n.name[0],
		(n) => n.pinyin,
		(n) => n.pinyin.toLowerCase().replace(/[^a-z]/g, ''),
		(n) => placeNamePinyin(n.name, { classCode: n.classCode, tones: true }),
		(n) =>
			n.pinyin
				.split(/[ ']/)
				.map((w) => w[0])
				.join('')
				.toLowerCase(),
		(n) =>
			n.pinyin
				.toLowerCase()
				.replace(/[^a-z]/g, '')
				.slice(0, 2),
		(n) => typo(n.pinyin.toLowerCase().replace(/[^a-z]/g, ''), rand),
		(n) => (n.aliases?.length ? n.aliases[0].name : n.name.slice(1)),
		(n) => '连' + n.name.slice(1)
	];
	return Array.from({ length: QUERIES }, (_, i) => kinds[i % kinds.length](pick(names)));
}

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

export async function benchGazetteerSearch(): Promise<BenchRow[]> {
	const names = generateNames(NAMES);
	const t0 = performance.now();
	const index = new GazetteerIndex();
	for (const name of names) index.upsert(name);
	index.search('莲前'); // builds the sorted keys
	const buildMs = performance.now() - t0;
	const queries = queriesFor(names);
	for (const query of queries.slice(0, 200)) index.search(query); // warm the JIT
	const times: number[] = [];
	let hits = 0;
	for (const query of queries) {
		const start = performance.now();
		hits += index.search(query, 20).length;
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	const label = `${NAMES.toLocaleString('en')} generated names, ${QUERIES.toLocaleString('en')} mixed queries`;
	return [
		{ name: `gazetteer index build (${label})`, value: `${(buildMs / 1000).toFixed(1)} s` },
		{
			name: `gazetteer search p50 / p95 / max (${label})`,
			value: `${percentile(times, 0.5).toFixed(2)} / ${percentile(times, 0.95).toFixed(2)} / ${times[times.length - 1].toFixed(1)} ms`
		},
		{ name: 'gazetteer search mean hits per query (limit 20)', value: (hits / QUERIES).toFixed(1) }
	];
}

if (import.meta.url === `file://${process.argv[1]}`) {
	for (const row of await benchGazetteerSearch()) console.log(`| ${row.name} | ${row.value} |`);
}
