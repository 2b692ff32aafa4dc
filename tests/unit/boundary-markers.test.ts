import { describe, expect, it } from 'vitest';
import { campaignProgress } from '../../src/lib/boundaries/campaign-progress';
import { markerDisplacement } from '../../src/lib/boundaries/displacement';
import { readMarkerRows } from '../../src/lib/boundaries/marker';

describe('markerDisplacement', () => {
	// One hundred-thousandth of a degree of latitude is 2π·6371008.8 m / 360 / 10⁵ = 1.1119 m; of
	// longitude at 24.45° N, that times cos 24.45° (0.91032) = 1.0122 m.
	it('measures a marker moved north by 1e-5° as 1.112 m', () => {
		expect(markerDisplacement([118.08, 24.45], [118.08, 24.45001], 2).meters).toBeCloseTo(1.1119, 3);
	});

	it('measures a marker moved east by 1e-5° at 24.45° N as 1.012 m', () => {
		expect(markerDisplacement([118.08, 24.45], [118.08001, 24.45], 2).meters).toBeCloseTo(1.0122, 3);
	});

	it('flags a marker farther than the tolerance, not one at or within it', () => {
		expect(markerDisplacement([118.08, 24.45], [118.08, 24.45001], 1).beyondTolerance).toBe(true);
		expect(markerDisplacement([118.08, 24.45], [118.08, 24.45001], 1.2).beyondTolerance).toBe(false);
		expect(markerDisplacement([118.08, 24.45], [118.08, 24.45], 0.5)).toEqual({
			meters: 0,
			beyondTolerance: false
		});
	});

	it('refuses a tolerance that is not a positive distance', () => {
		expect(() => markerDisplacement([118.08, 24.45], [118.08, 24.45], 0)).toThrow('toleranceM');
	});
});

describe('campaignProgress', () => {
	it('counts inspected, remaining, results and flagged markers of the line', () => {
		const progress = campaignProgress(
			[1, 2, 3, 4],
			[
				{ markerId: 1, result: 'intact', beyondTolerance: false },
				{ markerId: 2, result: 'moved', beyondTolerance: true },
				{ markerId: 3, result: 'missing', beyondTolerance: false },
				{ markerId: 9, result: 'damaged', beyondTolerance: true }
			]
		);
		expect(progress).toEqual({
			markers: 4,
			inspected: 3,
			remaining: 1,
			byResult: { intact: 1, damaged: 0, moved: 1, missing: 1 },
			flagged: 1,
			share: 0.75
		});
	});

	it('calls a line without markers complete', () => {
		expect(campaignProgress([], []).share).toBe(1);
	});
});

describe('readMarkerRows', () => {
	it('reads type letters and names each bad line', () => {
		const text = [
			'number,marker_type,line_code,condition,landmarks,lon,lat',
			'001003-001Q,Q,001003,,"老榕树, 路灯 17 号",118.09,24.46',
			'001003-002A,paired,001003,intact,,118.091,24.461',
			'001003-003X,X,001003,,,118.092,24.462',
			'001003-002A,single,001003,broken,,118.093,24.463',
			'001003-005Q,single,,,,118.094,'
		].join('\n');
		const result = readMarkerRows('csv', text);
		expect(result.accepted.map((m) => [m.row, m.markerType, m.condition])).toEqual([
			[2, 'single', 'intact'],
			[3, 'paired', 'intact']
		]);
		expect(result.accepted[0].landmarks).toBe('老榕树, 路灯 17 号');
		expect(result.rejected.map((r) => r.row)).toEqual([4, 5, 6]);
		expect(result.rejected[0].reason).toContain('marker_type "X"');
		expect(result.rejected[1].reason).toContain('repeats row 3');
		expect(result.rejected[1].reason).toContain('condition "broken"');
		expect(result.rejected[2].reason).toContain('line_code is missing');
		expect(result.rejected[2].reason).toContain('lon and lat are required');
	});
});
