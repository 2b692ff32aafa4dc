/**
 * The plan-monitoring rules as pure functions: the elapsed share of the period, the series dates,
 * the on-track/at-risk rule, project stages, the check of an entered figure (a source is required)
 * and the chart's value axis.
 */
import { describe, expect, it } from 'vitest';
import { chartOption, niceStep, valueAxis } from '../../src/lib/dashboard/chart-option';
import {
	elapsedShare,
	indicatorStatus,
	isIsoDate,
	nextStage,
	seriesDates,
	stageOn,
	todayInDistrict,
	type ProjectStageRecord
} from '../../src/lib/dashboard/plan-status';
import { validateEntry } from '../../src/lib/server/plan-monitoring/indicators';
import { PlanMonitoringError } from '../../src/lib/server/plan-monitoring/plan-error';

const PERIOD = ['2021-01-01', '2025-12-31'] as const;

describe('the plan period', () => {
	it('is nothing elapsed before it starts, half in mid-2023 and all of it from its last day on', () => {
		expect(elapsedShare(...PERIOD, '2020-12-31')).toBe(0);
		expect(elapsedShare(...PERIOD, '2023-07-02')).toBeCloseTo(0.5, 2);
		expect(elapsedShare(...PERIOD, '2025-12-31')).toBe(1);
		expect(elapsedShare(...PERIOD, '2026-11-29')).toBe(1);
	});

	it('gives a series from the base date through each year end to the date asked', () => {
		expect(seriesDates(...PERIOD, '2023-03-01')).toEqual([
			'2020-12-31',
			'2021-12-31',
			'2022-12-31',
			'2023-03-01'
		]);
		expect(seriesDates(...PERIOD, '2021-12-31')).toEqual(['2020-12-31', '2021-12-31']);
		expect(seriesDates(...PERIOD, '2027-01-01')).toEqual([
			'2020-12-31',
			'2021-12-31',
			'2022-12-31',
			'2023-12-31',
			'2024-12-31',
			'2025-12-31',
			'2027-01-01'
		]);
		expect(seriesDates(...PERIOD, '2019-06-30')).toEqual(['2019-06-30']);
	});

	it("takes today in Shanghai, which is a day ahead of UTC's evening", () => {
		expect(todayInDistrict(new Date('2026-11-29T20:00:00Z'))).toBe('2026-11-30');
		expect(todayInDistrict(new Date('2026-11-29T10:00:00Z'))).toBe('2026-11-29');
	});

	it('accepts only real calendar dates', () => {
		expect(isIsoDate('2024-02-29')).toBe(true);
		expect(isIsoDate('2023-02-29')).toBe(false);
		expect(isIsoDate('2023-1-5')).toBe(false);
	});
});

describe('the on-track rule', () => {
	const facilities = { startValue: 124, target: 130 };

	it('is achieved once the target is reached, whatever the date', () => {
		expect(indicatorStatus(130, facilities, 0.2)).toEqual({ progress: 1, status: 'achieved' });
	});

	it('is on track while progress is at most ten points behind the elapsed share, at risk beyond', () => {
		// Half the period gone: 3 of 6 facilities is on track, 2.5 of 6 (42 %) still is, 2 of 6 is not.
		expect(indicatorStatus(127, facilities, 0.5).status).toBe('on_track');
		expect(indicatorStatus(126.5, facilities, 0.5).status).toBe('on_track');
		expect(indicatorStatus(126, facilities, 0.5)).toMatchObject({ status: 'at_risk' });
		expect(indicatorStatus(126, facilities, 0.5).progress).toBeCloseTo(1 / 3, 9);
	});

	it('measures a count over the period from zero and says no data without a value', () => {
		expect(indicatorStatus(400, { startValue: 0, target: 1000 }, 0.4)).toEqual({
			progress: 0.4,
			status: 'on_track'
		});
		expect(indicatorStatus(null, facilities, 0.5)).toEqual({ progress: null, status: 'no_data' });
	});
});

describe('project stages', () => {
	const record = (stage: ProjectStageRecord['stage'], reachedOn: string): ProjectStageRecord => ({
		stage,
		reachedOn,
		note: null,
		enteredBy: 'x',
		enteredAt: '2024-01-01T00:00:00Z'
	});
	const stages = [
		record('approved', '2021-01-01'),
		record('building', '2022-05-01'),
		record('open', '2024-09-30')
	];

	it('gives the stage reached by a date', () => {
		expect(stageOn(stages, '2020-06-01')).toBe('proposed');
		expect(stageOn(stages, '2023-12-31')).toBe('building');
		expect(stageOn(stages, '2024-09-30')).toBe('open');
	});

	it('moves one stage at a time and ends at open', () => {
		expect(nextStage('proposed')).toBe('approved');
		expect(nextStage('building')).toBe('open');
		expect(nextStage('open')).toBeNull();
	});
});

describe('a figure entered by staff', () => {
	const today = '2026-11-29';

	it('is refused without a source, with the reason', () => {
		for (const source of [undefined, '', '   ', 42]) {
			expect(() => validateEntry({ value: 28, asOf: '2024-12-31', source }, 'percent', today)).toThrow(
				expect.objectContaining({ code: 'SOURCE_REQUIRED', message: expect.stringMatching(/^source: /) })
			);
		}
	});

	it('is taken with its source, value and date, trimmed', () => {
		expect(
			validateEntry({ value: ' 28.5 ', asOf: '2024-12-31', source: ' 统计公报 ', note: '' }, 'percent', today)
		).toEqual({ value: 28.5, asOf: '2024-12-31', source: '统计公报', note: null });
	});

	it('is refused when it is not a number, out of range, a fraction of a count, or dated in the future', () => {
		const refusal = (input: Parameters<typeof validateEntry>[0], unit: 'percent' | 'count') => {
			try {
				validateEntry(input, unit, today);
			} catch (failure) {
				return failure instanceof PlanMonitoringError ? failure.code : 'other';
			}
			return 'accepted';
		};
		const base = { value: 28, asOf: '2024-12-31', source: 'x' };
		expect(refusal({ ...base, value: 'abc' }, 'percent')).toBe('BAD_VALUE');
		expect(refusal({ ...base, value: 101 }, 'percent')).toBe('BAD_VALUE');
		expect(refusal({ ...base, value: -1 }, 'count')).toBe('BAD_VALUE');
		expect(refusal({ ...base, value: 360.5 }, 'count')).toBe('BAD_VALUE');
		expect(refusal({ ...base, asOf: '2026-11-30' }, 'count')).toBe('BAD_DATE');
		expect(refusal({ ...base, asOf: '31/12/2024' }, 'count')).toBe('BAD_DATE');
		expect(refusal(base, 'count')).toBe('accepted');
	});
});

describe("an indicator's chart", () => {
	it('rounds the value axis out to show the data, the start and the target', () => {
		expect(niceStep(0.37)).toBe(0.5);
		expect(niceStep(250)).toBe(250);
		expect(niceStep(260)).toBe(500);
		expect(valueAxis([{ on: '2023-12-31', value: 125 }], 124, 130)).toEqual({
			min: 124,
			max: 130,
			interval: 2
		});
		expect(valueAxis([{ on: '2023-12-31', value: 1200 }], 0, 1000)).toEqual({
			min: 0,
			max: 1500,
			interval: 500
		});
		expect(valueAxis([], 344, 419)).toEqual({ min: 340, max: 420, interval: 20 });
		expect(valueAxis([], 0, 100)).toEqual({ min: 0, max: 100, interval: 25 });
	});

	it('writes only the latest value on the line and spans the period on the time axis', () => {
		const option = chartOption({
			series: [
				{ on: '2020-12-31', value: 124 },
				{ on: '2021-12-31', value: 125 }
			],
			from: '2020-12-31',
			to: '2025-12-31',
			startValue: 124,
			target: 130,
			unit: '个',
			targetLabel: '目标',
			startLabel: '起点',
			fontSize: 16,
			dark: true
		});
		expect(option.series[0].data.map((d) => d.label.show)).toEqual([false, true]);
		expect([option.xAxis.min, option.xAxis.max]).toEqual(['2020-12-31', '2025-12-31']);
		expect(option.series[0].markLine.data.map((line) => line.yAxis)).toEqual([130, 124]);
	});
});
