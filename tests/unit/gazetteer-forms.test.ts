import { describe, expect, it } from 'vitest';
import { recordFromForm } from '../../src/lib/server/gazetteer/forms';

function form(fields: Record<string, string>): FormData {
	const data = new FormData();
	for (const [key, value] of Object.entries(fields)) data.set(key, value);
	return data;
}

const BASE = { standardName: '白鹭公园', classCode: '72000', reason: '新建' };
const RING = [
	[118.14, 24.47],
	[118.145, 24.47],
	[118.145, 24.474],
	[118.14, 24.47]
];

describe('a proposal from the gazetteer form', () => {
	it('takes a drawn polygon as the geometry, over any point typed beside it', () => {
		const { input } = recordFromForm(
			form({
				...BASE,
				lon: '118.1',
				lat: '24.4',
				geometry: JSON.stringify({ type: 'Polygon', coordinates: [RING] })
			}),
			null
		);
		expect(input.geometry).toEqual({ type: 'Polygon', coordinates: [RING] });
	});

	it('takes a point from lon and lat when nothing was drawn', () => {
		const { input } = recordFromForm(form({ ...BASE, lon: '118.1', lat: '24.45' }), null);
		expect(input.geometry).toEqual({ type: 'Point', coordinates: [118.1, 24.45] });
	});

	it('refuses a drawn geometry that is not GeoJSON, or has no coordinates, with the reason', () => {
		expect(() => recordFromForm(form({ ...BASE, geometry: '{"type":"Polygon",' }), null)).toThrow(
			'geometry: not valid GeoJSON'
		);
		expect(() => recordFromForm(form({ ...BASE, geometry: '{"type":"Polygon"}' }), null)).toThrow(
			/geometry: coordinates are required/
		);
	});
});
