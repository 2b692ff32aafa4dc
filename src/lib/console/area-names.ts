/**
 * The street and community names of an incident's community code, from the district's regions the
 * console page already has (the queue shows where each alert is without fetching its detail).
 */
import type { RegionCollection } from '../geo/features';

export interface AreaNames {
	street: string | null;
	community: string;
}

/**
 * @returns community code → its name and its street's name
 * @example areaNamesOf(regions).get('350203001001') // { street: '鹭江街道', community: '…社区' }
 */
export function areaNamesOf(regions: Pick<RegionCollection, 'features'>): Map<string, AreaNames> {
	const byCode = new Map(regions.features.map((f) => [f.properties.code, f.properties]));
	const names = new Map<string, AreaNames>();
	for (const region of byCode.values()) {
		if (region.level !== 'community') continue;
		const parent = region.parentCode ? byCode.get(region.parentCode) : undefined;
		names.set(region.code, {
			street: parent?.level === 'street' ? parent.name : null,
			community: region.name
		});
	}
	return names;
}
