import { describe, expect, it } from 'vitest';
import { areaNamesOf } from '../../src/lib/console/area-names';
import type { RegionCollection } from '../../src/lib/geo/features';

const region = (
	code: string,
	level: 'district' | 'street' | 'community',
	name: string,
	parentCode: string | null
) => ({ properties: { code, level, name, parentCode } }) as RegionCollection['features'][number];

describe('areaNamesOf', () => {
	it('gives each community its name and its street’s name', () => {
		const names = areaNamesOf({
			features: [
				region('350203', 'district', '思明区', null),
				region('350203001', 'street', '鹭江街道', '350203'),
				region('350203001001', 'community', '新路社区', '350203001')
			]
		});
		expect(names.get('350203001001')).toEqual({ street: '鹭江街道', community: '新路社区' });
		expect(names.has('350203001')).toBe(false);
	});

	it('leaves the street out for a community whose parent is not a street', () => {
		const names = areaNamesOf({ features: [region('350203009001', 'community', '孤岛社区', null)] });
		expect(names.get('350203009001')).toEqual({ street: null, community: '孤岛社区' });
	});
});
