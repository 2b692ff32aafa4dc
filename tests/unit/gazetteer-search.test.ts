/** The in-memory search index: Chinese, pinyin in every spelling, initials, aliases, former names, one typo. */
import { describe, expect, it } from 'vitest';
import { placeNamePinyin } from '../../src/lib/gazetteer/pinyin';
import {
	GazetteerIndex,
	editsOne,
	withinOneEdit,
	type IndexedName
} from '../../src/lib/gazetteer/search-index';

function named(id: number, name: string, classCode: string, extra: Partial<IndexedName> = {}): IndexedName {
	return { id, name, classCode, pinyin: placeNamePinyin(name, { classCode }), ...extra };
}

function sample(): GazetteerIndex {
	const index = new GazetteerIndex();
	index.upsert(named(1, '莲前街道', '11000'));
	index.upsert(named(2, '莲前西路', '53100'));
	index.upsert(named(3, '莲前东路', '53100'));
	index.upsert(named(4, '前埔社区', '31000'));
	index.upsert(named(5, '曾厝垵社区', '31000', { aliases: [{ name: '曾厝安', kind: 'alias' }] }));
	index.upsert(named(6, '思明南路', '53100', { aliases: [{ name: '南台路', kind: 'former' }] }));
	index.upsert(named(7, '厦门大学', '91000', { aliases: [{ name: '厦大', kind: 'alias' }] }));
	index.upsert(named(8, '筼筜湖', '61000'));
	return index;
}

const ids = (hits: { id: number }[]) => hits.map((h) => h.id);

describe('gazetteer search', () => {
	it('finds an exact Chinese name first, then names it starts or is inside', () => {
		const hits = sample().search('莲前');
		expect(ids(hits).slice(0, 3).sort()).toEqual([1, 2, 3]);
		expect(hits[0].id).toBe(1); // the street outranks the roads: same quality, more important
		expect(sample().search('莲前西路')[0]).toMatchObject({ id: 2, quality: 'exact' });
	});

	it('finds by pinyin with or without tones, spaces and apostrophes', () => {
		for (const query of ['lianqianxilu', 'Lianqian Xilu', 'lián qián xī lù', 'lian2qian2xi1lu4'])
			expect(sample().search(query)[0].id).toBe(2);
		expect(sample().search("zengcuo'an")[0].id).toBe(5);
	});

	it('finds by pinyin initials', () => {
		expect(sample().search('lqjd')[0]).toMatchObject({ id: 1, quality: 'initials' });
		expect(sample().search('LQXL')[0].id).toBe(2);
	});

	it('finds a syllable inside a name', () => {
		expect(ids(sample().search('xilu'))).toContain(2);
	});

	it('finds aliases and former names and says which matched', () => {
		expect(sample().search('厦大')[0]).toMatchObject({ id: 7, via: 'alias', matched: '厦大' });
		expect(sample().search('南台路')[0]).toMatchObject({ id: 6, via: 'former', name: '思明南路' });
		expect(sample().search('nantailu')[0].id).toBe(6);
	});

	it('tolerates one typo in pinyin and one wrong character or homophone', () => {
		expect(sample().search('lianqinxilu')[0]).toMatchObject({ id: 2, quality: 'typo' });
		expect(sample().search('yundnaghu')[0].id).toBe(8);
		expect(sample().search('连前西路')[0].id).toBe(2);
		expect(
			sample()
				.search('莲前北路')
				.map((h) => h.id)
		).toContain(2);
	});

	it('reads place names with the reviewed readings: xiamen finds 厦门大学', () => {
		expect(sample().search('xiamen')[0].id).toBe(7);
	});

	it('forgets a removed name and replaces an updated one', () => {
		const index = sample();
		index.remove(2);
		expect(ids(index.search('莲前西路'))).not.toContain(2);
		index.upsert(named(4, '前埔北社区', '31000', { aliases: [{ name: '前埔社区', kind: 'former' }] }));
		expect(index.search('前埔社区')[0]).toMatchObject({ id: 4, name: '前埔北社区', via: 'former' });
	});

	it('answers nothing for an empty query', () => {
		expect(sample().search('  ')).toEqual([]);
	});
});

describe('edit distance one', () => {
	it('knows one edit from two', () => {
		expect(withinOneEdit('莲前西路', '连前西路')).toBe(true);
		expect(withinOneEdit('莲前西路', '莲前路')).toBe(true);
		expect(withinOneEdit('莲前西路', '前西')).toBe(false);
		expect(editsOne('ab').has('ba')).toBe(true);
		expect(editsOne('ab').has('ab')).toBe(false);
	});
});
