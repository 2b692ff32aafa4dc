/**
 * Place-name classes. The codes are laid out in the style of GB/T 18521 (地名分类与类别代码编制规则)
 * and the second national place-name census: the first digits name the large class (1 行政区域,
 * 3 群众自治组织, 4 居民点, 5 交通运输设施, 6 水利设施, 7 纪念地·旅游景点, 8 建筑物, 9 单位,
 * 10 陆地水系, 11 陆地地形), padded to five digits. They are assigned here by hand for this
 * product, not copied from the standard's table, so they say "style", not "the official code".
 *
 * Used by the pinyin core (which generic terms to split off), the approval rules, the search index
 * (importance) and the pages (labels).
 */

export type PlaceClassKey =
	| 'administrative'
	| 'community'
	| 'residential'
	| 'road'
	| 'bridge'
	| 'mountain'
	| 'water'
	| 'park'
	| 'landmark'
	| 'building'
	| 'facility';

export type GeometryKind = 'point' | 'line' | 'polygon';

export interface PlaceClass {
	code: string;
	key: PlaceClassKey;
	/** The geometry a name of this class usually has; any kind is accepted. */
	geometry: GeometryKind;
	/** Search ranks more important classes first among equally good matches (0–100). */
	importance: number;
}

export const PLACE_CLASSES: readonly PlaceClass[] = [
	{ code: '11000', key: 'administrative', geometry: 'polygon', importance: 100 },
	{ code: '31000', key: 'community', geometry: 'polygon', importance: 70 },
	{ code: '41000', key: 'residential', geometry: 'polygon', importance: 40 },
	{ code: '53100', key: 'road', geometry: 'line', importance: 80 },
	{ code: '54000', key: 'bridge', geometry: 'line', importance: 50 },
	{ code: '61000', key: 'water', geometry: 'polygon', importance: 75 },
	{ code: '72000', key: 'park', geometry: 'polygon', importance: 60 },
	{ code: '73000', key: 'landmark', geometry: 'point', importance: 65 },
	{ code: '81000', key: 'building', geometry: 'point', importance: 30 },
	{ code: '91000', key: 'facility', geometry: 'point', importance: 45 },
	{ code: '11100', key: 'mountain', geometry: 'point', importance: 75 }
];

const BY_CODE = new Map(PLACE_CLASSES.map((c) => [c.code, c]));

export function placeClass(code: string): PlaceClass | undefined {
	return BY_CODE.get(code);
}

export function isPlaceClassCode(code: string): boolean {
	return BY_CODE.has(code);
}

export function classCodeOf(key: PlaceClassKey): string {
	return PLACE_CLASSES.find((c) => c.key === key)!.code;
}

/** Life cycle: proposed → under review → approved → retired (never deleted). */
export const PLACE_STATUSES = ['proposed', 'under_review', 'approved', 'retired'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];
