/**
 * Official pinyin of real Siming place names: the district, its 10 streets and their communities
 * (names as in geo/siming/regions.geojson), roads, hills, waters, parks and landmarks. Expected
 * spellings follow the 1984 place-name rules (GB/T 16159): specific part joined, generic part
 * separate, apostrophes before a/o/e, Xiamen's local readings (厦 xià, 曾 zēng).
 */
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_READINGS,
	joinWord,
	placeNamePinyin,
	readingsMap,
	splitName,
	stripTones
} from '../../src/lib/gazetteer/pinyin';

const ADMIN = '11000';
const COMMUNITY = '31000';
const ROAD = '53100';
const MOUNTAIN = '11100';
const WATER = '61000';
const PARK = '72000';
const LANDMARK = '73000';

/** [standard name, class, official pinyin] */
const OFFICIAL: [string, string, string][] = [
	['思明区', ADMIN, 'Siming Qu'],
	['厦港街道', ADMIN, 'Xiagang Jiedao'],
	['中华街道', ADMIN, 'Zhonghua Jiedao'],
	['滨海街道', ADMIN, 'Binhai Jiedao'],
	['鹭江街道', ADMIN, 'Lujiang Jiedao'],
	['开元街道', ADMIN, 'Kaiyuan Jiedao'],
	['梧村街道', ADMIN, 'Wucun Jiedao'],
	['筼筜街道', ADMIN, 'Yundang Jiedao'],
	['莲前街道', ADMIN, 'Lianqian Jiedao'],
	['嘉莲街道', ADMIN, 'Jialian Jiedao'],
	['鼓浪屿街道', ADMIN, 'Gulangyu Jiedao'],
	['鸿山社区', COMMUNITY, 'Hongshan Shequ'],
	['蜂巢山社区', COMMUNITY, 'Fengchaoshan Shequ'],
	['福海社区', COMMUNITY, 'Fuhai Shequ'],
	['下沃社区', COMMUNITY, 'Xiawo Shequ'],
	['巡司顶社区', COMMUNITY, 'Xunsiding Shequ'],
	['沙坡尾社区', COMMUNITY, 'Shapowei Shequ'],
	['南华社区', COMMUNITY, 'Nanhua Shequ'],
	['仁安社区', COMMUNITY, "Ren'an Shequ"],
	['镇海社区', COMMUNITY, 'Zhenhai Shequ'],
	['霞溪社区', COMMUNITY, 'Xiaxi Shequ'],
	['思南社区', COMMUNITY, 'Sinan Shequ'],
	['文安社区', COMMUNITY, "Wen'an Shequ"],
	['中山社区', COMMUNITY, 'Zhongshan Shequ'],
	['演武社区', COMMUNITY, 'Yanwu Shequ'],
	['白城社区', COMMUNITY, 'Baicheng Shequ'],
	['上李社区', COMMUNITY, 'Shangli Shequ'],
	['曾厝垵社区', COMMUNITY, "Zengcuo'an Shequ"],
	['黄厝社区', COMMUNITY, 'Huangcuo Shequ'],
	['营平社区', COMMUNITY, 'Yingping Shequ'],
	['大同社区', COMMUNITY, 'Datong Shequ'],
	['鹭江道社区', COMMUNITY, 'Lujiangdao Shequ'],
	['厦禾社区', COMMUNITY, 'Xiahe Shequ'],
	['双莲池社区', COMMUNITY, 'Shuanglianchi Shequ'],
	['小学社区', COMMUNITY, 'Xiaoxue Shequ'],
	['禾祥西社区', COMMUNITY, 'Hexiangxi Shequ'],
	['深田社区', COMMUNITY, 'Shentian Shequ'],
	['溪岸社区', COMMUNITY, "Xi'an Shequ"],
	['美仁社区', COMMUNITY, 'Meiren Shequ'],
	['西边社区', COMMUNITY, 'Xibian Shequ'],
	['后江社区', COMMUNITY, 'Houjiang Shequ'],
	['湖滨社区', COMMUNITY, 'Hubin Shequ'],
	['阳台山社区', COMMUNITY, 'Yangtaishan Shequ'],
	['美湖社区', COMMUNITY, 'Meihu Shequ'],
	['希望社区', COMMUNITY, 'Xiwang Shequ'],
	['虎溪社区', COMMUNITY, 'Huxi Shequ'],
	['坑内社区', COMMUNITY, 'Kengnei Shequ'],
	['天湖社区', COMMUNITY, 'Tianhu Shequ'],
	['梧村社区', COMMUNITY, 'Wucun Shequ'],
	['文灶社区', COMMUNITY, 'Wenzao Shequ'],
	['金榜山社区', COMMUNITY, 'Jinbangshan Shequ'],
	['滨中社区', COMMUNITY, 'Binzhong Shequ'],
	['双涵社区', COMMUNITY, 'Shuanghan Shequ'],
	['浦南社区', COMMUNITY, 'Punan Shequ'],
	['万寿北社区', COMMUNITY, 'Wanshoubei Shequ'],
	['金祥社区', COMMUNITY, 'Jinxiang Shequ'],
	['文屏社区', COMMUNITY, 'Wenping Shequ'],
	['东坪社区', COMMUNITY, 'Dongping Shequ'],
	['溪东社区', COMMUNITY, 'Xidong Shequ'],
	['西郭社区', COMMUNITY, 'Xiguo Shequ'],
	['四里社区', COMMUNITY, 'Sili Shequ'],
	['槟榔社区', COMMUNITY, 'Binlang Shequ'],
	['湖光社区', COMMUNITY, 'Huguang Shequ'],
	['一里社区', COMMUNITY, 'Yili Shequ'],
	['振兴社区', COMMUNITY, 'Zhenxing Shequ'],
	['莲岳社区', COMMUNITY, 'Lianyue Shequ'],
	['岳阳社区', COMMUNITY, 'Yueyang Shequ'],
	['屿后西社区', COMMUNITY, 'Yuhouxi Shequ'],
	['育秀社区', COMMUNITY, 'Yuxiu Shequ'],
	['仙阁社区', COMMUNITY, 'Xiange Shequ'],
	['金桥社区', COMMUNITY, 'Jinqiao Shequ'],
	['屿后社区', COMMUNITY, 'Yuhou Shequ'],
	['官任社区', COMMUNITY, 'Guanren Shequ'],
	['仙岳社区', COMMUNITY, 'Xianyue Shequ'],
	['龙山桥社区', COMMUNITY, 'Longshanqiao Shequ'],
	['金鸡亭社区', COMMUNITY, 'Jinjiting Shequ'],
	['莲怡社区', COMMUNITY, 'Lianyi Shequ'],
	['莲顺社区', COMMUNITY, 'Lianshun Shequ'],
	['莲云社区', COMMUNITY, 'Lianyun Shequ'],
	['莲薇社区', COMMUNITY, 'Lianwei Shequ'],
	['前埔北社区', COMMUNITY, 'Qianpubei Shequ'],
	['莲丰社区', COMMUNITY, 'Lianfeng Shequ'],
	['侨福社区', COMMUNITY, 'Qiaofu Shequ'],
	['瑞景社区', COMMUNITY, 'Ruijing Shequ'],
	['莲翔社区', COMMUNITY, 'Lianxiang Shequ'],
	['何厝社区', COMMUNITY, 'Hecuo Shequ'],
	['前埔社区', COMMUNITY, 'Qianpu Shequ'],
	['洪文社区', COMMUNITY, 'Hongwen Shequ'],
	['西林社区', COMMUNITY, 'Xilin Shequ'],
	['塔埔社区', COMMUNITY, 'Tapu Shequ'],
	['岭兜社区', COMMUNITY, 'Lingdou Shequ'],
	['前埔南社区', COMMUNITY, 'Qianpunan Shequ'],
	['莲成社区', COMMUNITY, 'Liancheng Shequ'],
	['万景社区', COMMUNITY, 'Wanjing Shequ'],
	['前埔东社区', COMMUNITY, 'Qianpudong Shequ'],
	['前埔西社区', COMMUNITY, 'Qianpuxi Shequ'],
	['观音山社区', COMMUNITY, 'Guanyinshan Shequ'],
	['盈翠社区', COMMUNITY, 'Yingcui Shequ'],
	['莲花北社区', COMMUNITY, 'Lianhuabei Shequ'],
	['莲坂社区', COMMUNITY, 'Lianban Shequ'],
	['莲西社区', COMMUNITY, 'Lianxi Shequ'],
	['莲兴社区', COMMUNITY, 'Lianxing Shequ'],
	['莲花五村社区', COMMUNITY, 'Lianhuawucun Shequ'],
	['长青社区', COMMUNITY, 'Changqing Shequ'],
	['松柏社区', COMMUNITY, 'Songbai Shequ'],
	['莲秀社区', COMMUNITY, 'Lianxiu Shequ'],
	['华福社区', COMMUNITY, 'Huafu Shequ'],
	['龙山社区', COMMUNITY, 'Longshan Shequ'],
	['龙头社区', COMMUNITY, 'Longtou Shequ'],
	['内厝社区', COMMUNITY, 'Neicuo Shequ'],
	['中山路', ROAD, 'Zhongshan Lu'],
	['思明南路', ROAD, 'Siming Nanlu'],
	['思明北路', ROAD, 'Siming Beilu'],
	['鹭江道', ROAD, 'Lujiang Dao'],
	['厦禾路', ROAD, 'Xiahe Lu'],
	['湖滨南路', ROAD, 'Hubin Nanlu'],
	['湖滨北路', ROAD, 'Hubin Beilu'],
	['莲前西路', ROAD, 'Lianqian Xilu'],
	['莲前东路', ROAD, 'Lianqian Donglu'],
	['环岛路', ROAD, 'Huandao Lu'],
	['演武路', ROAD, 'Yanwu Lu'],
	['大学路', ROAD, 'Daxue Lu'],
	['镇海路', ROAD, 'Zhenhai Lu'],
	['公园南路', ROAD, 'Gongyuan Nanlu'],
	['开元路', ROAD, 'Kaiyuan Lu'],
	['龙头路', ROAD, 'Longtou Lu'],
	['文曾路', ROAD, 'Wenzeng Lu'],
	['斗西路', ROAD, 'Douxi Lu'],
	['禾祥西路', ROAD, 'Hexiang Xilu'],
	['嘉禾路', ROAD, 'Jiahe Lu'],
	['吕岭路', ROAD, 'Lüling Lu'],
	['万石山', MOUNTAIN, 'Wanshi Shan'],
	['鸿山', MOUNTAIN, 'Hong Shan'],
	['虎头山', MOUNTAIN, 'Hutou Shan'],
	['仙岳山', MOUNTAIN, 'Xianyue Shan'],
	['云顶岩', MOUNTAIN, 'Yunding Yan'],
	['五老峰', MOUNTAIN, 'Wulao Feng'],
	['日光岩', MOUNTAIN, 'Riguang Yan'],
	['狐尾山', MOUNTAIN, 'Huwei Shan'],
	['筼筜湖', WATER, 'Yundang Hu'],
	['湖边水库', WATER, 'Hubian Shuiku'],
	['中山公园', PARK, 'Zhongshan Gongyuan'],
	['白鹭洲公园', PARK, 'Bailuzhou Gongyuan'],
	['皓月园', PARK, 'Haoyue Yuan'],
	['菽庄花园', PARK, 'Shuzhuang Huayuan'],
	['胡里山炮台', LANDMARK, 'Hulishan Paotai'],
	['南普陀寺', LANDMARK, 'Nanputuo Si'],
	['鼓浪屿', LANDMARK, 'Gulangyu']
];

describe('official pinyin of Siming place names', () => {
	it('covers at least 100 real names', () => {
		expect(OFFICIAL.length).toBeGreaterThanOrEqual(100);
	});

	it.each(OFFICIAL)('spells %s of class %s as %s', (name, classCode, expected) => {
		expect(placeNamePinyin(name, { classCode })).toBe(expected);
	});
});

describe('place-name pinyin rules', () => {
	it('splits the generic part off by the class', () => {
		expect(splitName('莲前街道', ADMIN)).toEqual({ specific: '莲前', generic: '街道' });
		expect(splitName('鹭江道社区', COMMUNITY)).toEqual({ specific: '鹭江道', generic: '社区' });
	});

	it('keeps a one-character specific with its modifier (斗西 + 路, not 斗 + 西路)', () => {
		expect(splitName('斗西路', ROAD)).toEqual({ specific: '斗西', generic: '路' });
		expect(splitName('湖滨南路', ROAD)).toEqual({ specific: '湖滨', generic: '南路' });
	});

	it('puts an apostrophe before a syllable starting with a, o or e', () => {
		expect(joinWord(['xi', 'an'])).toBe("Xi'an");
		expect(joinWord(['ding', 'ao', 'zai'])).toBe("Ding'aozai");
		expect(joinWord(['tian', 'e'])).toBe("Tian'e");
		expect(joinWord(['xian', 'ge'])).toBe('Xiange');
	});

	it('writes tone marks when asked, the original tones, not tone sandhi', () => {
		expect(placeNamePinyin('曾厝垵社区', { classCode: COMMUNITY, tones: true })).toBe("Zēngcuò'ān Shèqū");
		expect(placeNamePinyin('一里社区', { classCode: COMMUNITY, tones: true })).toBe('Yīlǐ Shèqū');
	});

	it('reads 厦 as xià in Xiamen names but shà in the generic 大厦', () => {
		expect(placeNamePinyin('厦门大学', { classCode: '91000' })).toBe('Xiamen Daxue');
		expect(placeNamePinyin('世贸大厦', { classCode: '81000' })).toBe('Shimao Dasha');
	});

	it('lets the reviewed dictionary override the library', () => {
		const library = placeNamePinyin('厦港街道', { classCode: ADMIN, readings: new Map() });
		expect(library).toBe('Shagang Jiedao');
		const edited = readingsMap([...DEFAULT_READINGS, { word: '莲前', reading: 'lián qiàn' }]);
		expect(placeNamePinyin('莲前街道', { classCode: ADMIN, readings: edited, tones: true })).toBe(
			'Liánqiàn Jiēdào'
		);
	});

	it('strips tone marks but keeps ü', () => {
		expect(stripTones('Lǚlǐng Lù')).toBe('Lüling Lu');
	});
});
