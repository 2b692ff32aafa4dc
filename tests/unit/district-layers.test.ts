import { describe, expect, it } from 'vitest';
import { FACILITY_COLORS, NOT_OPEN_FILL } from '../../src/lib/map/colors';
import { facilityMarker } from '../../src/lib/map/district-layers';

describe('facilityMarker', () => {
	it('fills an open facility in its kind’s colour with a white ring', () => {
		expect(facilityMarker({ kind: 'community_station', status: 'open' }, false)).toEqual({
			fill: FACILITY_COLORS.community_station,
			ring: [255, 255, 255, 255],
			ringWidthPx: 1.5
		});
	});

	it('draws a planned, building or closed facility hollow, ringed in its kind’s colour', () => {
		for (const status of ['planned', 'building', 'closed'] as const) {
			const marker = facilityMarker({ kind: 'street_care_centre', status }, false);
			expect(marker.fill).toEqual(NOT_OPEN_FILL);
			expect(marker.ring).toEqual(FACILITY_COLORS.street_care_centre);
			expect(marker.ringWidthPx).toBeGreaterThan(1.5);
		}
	});

	it('rings the selected facility in yellow, open or not', () => {
		expect(facilityMarker({ kind: 'institution', status: 'planned' }, true).ring).toEqual([
			250, 204, 21, 255
		]);
		expect(facilityMarker({ kind: 'institution', status: 'open' }, true).ring).toEqual([250, 204, 21, 255]);
	});
});
