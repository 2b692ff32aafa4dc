/**
 * The one message catalogue. Simplified Chinese is the default; every key has an English twin
 * (the type makes a missing translation a compile error).
 */
const zh = {
	'app.title': 'CareCircle 智慧养老监测平台',
	'app.district': '行政区',
	'app.language': 'English',
	'app.languageLabel': '切换到英文',
	'map.label': '辖区地图',
	'map.legend': '图例',
	'map.layer.district': '区界',
	'map.layer.street': '街道界',
	'map.layer.community': '社区界',
	'map.layer.labels': '地名标注',
	'map.layer.facilities': '养老服务设施',
	'map.modelledNotice': '街道与社区边界为示意模拟，非官方勘定边界；设施位置为近似位置。',
	'map.realtime.connected': '实时连接：已连接',
	'map.realtime.disconnected': '实时连接：未连接',
	'map.selectHint': '点击地图上的区域或设施查看属性',
	'map.counts': '{streets} 个街道 · {communities} 个社区 · {facilities} 处设施',
	'feature.close': '关闭',
	'feature.code': '统计代码',
	'feature.level': '层级',
	'feature.parent': '上级',
	'feature.geomSource': '几何来源',
	'feature.precision': '位置精度',
	'feature.updatedAt': '更新时间',
	'feature.kind': '类型',
	'feature.status': '状态',
	'feature.beds': '床位',
	'feature.nursingBeds': '护理型床位',
	'feature.locationSource': '位置来源',
	'feature.metres': '约 {value} 米',
	'feature.cell': '人口网格',
	'feature.cellId': '网格编号',
	'feature.elderly': '60 岁及以上人口',
	'feature.provenance': '数据性质',
	'feature.notes': '备注',
	'provenance.official': '官方数据',
	'provenance.derived': '派生数据',
	'provenance.modelled': '模拟数据',
	'map.layers': '图层',
	'map.layer.population': '老年人口分布',
	'map.layer.walk': '步行路网',
	'map.layer.loading': '正在加载…',
	'map.layer.loadFailed': '图层加载失败',
	'map.layer.walkSummary': '{nodes} 个节点 · {edges} 条路段',
	'level.district': '区',
	'level.street': '街道',
	'level.community': '社区',
	'facility.district_centre': '区级养老服务中心',
	'facility.street_care_centre': '街道综合照料中心',
	'facility.community_station': '社区居家养老服务站',
	'facility.institution': '养老机构',
	'facility.medical': '医养结合机构',
	'status.planned': '规划中',
	'status.building': '建设中',
	'status.open': '运营中',
	'status.closed': '已关闭',
	'nav.map': '返回地图',
	'nav.imports': '数据导入记录',
	'imports.title': '数据导入记录',
	'imports.hint': '每次导入（含试运行）及其被拒绝的行和原因。导入命令：npm run geo:import',
	'imports.none': '尚无导入记录。',
	'imports.when': '时间',
	'imports.kind': '类型',
	'imports.file': '文件 · 坐标系',
	'imports.accepted': '已导入',
	'imports.rejected': '被拒绝',
	'imports.dryRun': '试运行',
	'imports.row': '第 {row} 行/要素',
	'error.title': '出错了',
	'error.notFound': '页面不存在'
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
	'app.title': 'CareCircle eldercare monitoring',
	'app.district': 'District',
	'app.language': '中文',
	'app.languageLabel': 'Switch to Chinese',
	'map.label': 'District map',
	'map.legend': 'Legend',
	'map.layer.district': 'District boundary',
	'map.layer.street': 'Street boundaries',
	'map.layer.community': 'Community boundaries',
	'map.layer.labels': 'Place labels',
	'map.layer.facilities': 'Eldercare facilities',
	'map.modelledNotice':
		'Street and community boundaries are modelled placeholders, not official boundaries; facility positions are approximate.',
	'map.realtime.connected': 'Live link: connected',
	'map.realtime.disconnected': 'Live link: disconnected',
	'map.selectHint': 'Click a region or facility on the map to see its attributes',
	'map.counts': '{streets} streets · {communities} communities · {facilities} facilities',
	'feature.close': 'Close',
	'feature.code': 'Statistical code',
	'feature.level': 'Level',
	'feature.parent': 'Parent',
	'feature.geomSource': 'Geometry source',
	'feature.precision': 'Positional precision',
	'feature.updatedAt': 'Updated',
	'feature.kind': 'Kind',
	'feature.status': 'Status',
	'feature.beds': 'Beds',
	'feature.nursingBeds': 'Nursing beds',
	'feature.locationSource': 'Location source',
	'feature.metres': 'about {value} m',
	'feature.cell': 'Population cell',
	'feature.cellId': 'Cell id',
	'feature.elderly': 'Residents aged 60+',
	'feature.provenance': 'Provenance',
	'feature.notes': 'Notes',
	'provenance.official': 'Official',
	'provenance.derived': 'Derived',
	'provenance.modelled': 'Modelled',
	'map.layers': 'Layers',
	'map.layer.population': 'Elderly population',
	'map.layer.walk': 'Walking network',
	'map.layer.loading': 'Loading…',
	'map.layer.loadFailed': 'The layer could not be loaded',
	'map.layer.walkSummary': '{nodes} nodes · {edges} segments',
	'level.district': 'District',
	'level.street': 'Street',
	'level.community': 'Community',
	'facility.district_centre': 'District eldercare centre',
	'facility.street_care_centre': 'Street care centre',
	'facility.community_station': 'Community home-care station',
	'facility.institution': 'Eldercare institution',
	'facility.medical': 'Medical-care institution',
	'status.planned': 'Planned',
	'status.building': 'Under construction',
	'status.open': 'Open',
	'status.closed': 'Closed',
	'nav.map': 'Back to the map',
	'nav.imports': 'Import log',
	'imports.title': 'Import log',
	'imports.hint':
		'Every import (dry runs too) with its rejected rows and why. Import with npm run geo:import',
	'imports.none': 'No imports yet.',
	'imports.when': 'When',
	'imports.kind': 'Kind',
	'imports.file': 'File · CRS',
	'imports.accepted': 'Imported',
	'imports.rejected': 'Rejected',
	'imports.dryRun': 'dry run',
	'imports.row': 'row/feature {row}',
	'error.title': 'Something went wrong',
	'error.notFound': 'Page not found'
};

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const catalogue: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/**
 * Looks up a message and fills its {placeholders}.
 * @example translate('en', 'map.counts', { streets: 10, communities: 99, facilities: 110 })
 */
export function translate(
	locale: Locale,
	key: MessageKey,
	values: Record<string, string | number> = {}
): string {
	return catalogue[locale][key].replace(/\{(\w+)\}/g, (match, name: string) =>
		name in values ? String(values[name]) : match
	);
}

export function isLocale(value: unknown): value is Locale {
	return (LOCALES as readonly unknown[]).includes(value);
}
