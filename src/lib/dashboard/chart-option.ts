/**
 * The ECharts option of an indicator's chart: the series on a time axis, the start and the target
 * as horizontal lines, and a value axis wide enough to show both lines whatever the data.
 */
import type { IndicatorPoint } from './plan-status';

export interface ChartInput {
	series: IndicatorPoint[];
	/** The time axis: the base date to the period's end (or the last point, when later). */
	from: string;
	to: string;
	startValue: number;
	target: number;
	unit: string;
	targetLabel: string;
	startLabel: string;
	fontSize: number;
	/** Light type on the dashboard's dark page; dark type on the printed sheet. */
	dark: boolean;
}

const COLORS = {
	dark: { series: '#60a5fa', target: '#f87171', start: '#94a3b8', text: '#e2e8f0', grid: '#334155' },
	light: { series: '#2563eb', target: '#dc2626', start: '#64748b', text: '#0f172a', grid: '#e2e8f0' }
};

/** A short number for an axis or a tooltip: at most one decimal. */
export function shortNumber(value: number): string {
	return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A round step near `raw`: 1, 2, 2.5 or 5 times a power of ten. @example niceStep(0.37) // 0.5 */
export function niceStep(raw: number): number {
	const power = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw)!;
	return step * power;
}

/**
 * The value axis: the data, the start and the target, out to round numbers in steps of one round
 * interval (about four), never below zero for values that cannot be negative.
 * @example valueAxis([{ on: '2021-12-31', value: 125 }], 124, 130) // { min: 124, max: 130, interval: 2 }
 */
export function valueAxis(
	series: IndicatorPoint[],
	startValue: number,
	target: number
): { min: number; max: number; interval: number } {
	const values = [...series.map((p) => p.value), startValue, target];
	const low = Math.min(...values);
	const high = Math.max(...values);
	const interval = niceStep(Math.max(high - low, Math.abs(high) * 0.05, 1e-9) / 4);
	const min = Math.floor(low / interval) * interval;
	return { min: low >= 0 ? Math.max(0, min) : min, max: Math.ceil(high / interval) * interval, interval };
}

export function chartOption(input: ChartInput) {
	const { fontSize } = input;
	const colors = input.dark ? COLORS.dark : COLORS.light;
	const withUnit = (value: number) =>
		`${shortNumber(value)}${input.unit === '%' ? '%' : ` ${input.unit}`}`.trim();
	const line = (value: number, name: string, color: string) => ({
		yAxis: value,
		name,
		lineStyle: { color, type: 'dashed' as const, width: 2 },
		label: {
			formatter: `${name} ${withUnit(value)}`,
			color,
			fontSize: fontSize * 0.85,
			position: 'insideStartTop' as const
		}
	});
	return {
		animation: false,
		textStyle: { fontSize, color: colors.text },
		grid: { left: fontSize * 4, right: fontSize, top: fontSize * 1.5, bottom: fontSize * 2.2 },
		tooltip: {
			trigger: 'axis' as const,
			textStyle: { fontSize },
			valueFormatter: (value: unknown) => (typeof value === 'number' ? withUnit(value) : String(value))
		},
		xAxis: {
			type: 'time' as const,
			min: input.from,
			max: input.series.reduce((last, p) => (p.on > last ? p.on : last), input.to),
			axisLabel: { fontSize: fontSize * 0.85, hideOverlap: true, color: colors.text },
			axisLine: { lineStyle: { color: colors.start } }
		},
		yAxis: {
			type: 'value' as const,
			...valueAxis(input.series, input.startValue, input.target),
			axisLabel: {
				fontSize: fontSize * 0.85,
				color: colors.text,
				formatter: (value: number) => shortNumber(value)
			},
			splitLine: { lineStyle: { color: colors.grid } }
		},
		series: [
			{
				type: 'line' as const,
				// Only the latest value is written on the line; the axis and the tooltip give the rest.
				data: input.series.map((p, i) => ({
					value: [p.on, p.value],
					label: { show: i === input.series.length - 1 }
				})),
				color: colors.series,
				lineStyle: { width: 3 },
				symbolSize: fontSize * 0.6,
				label: {
					position: 'top' as const,
					fontSize: fontSize * 0.9,
					fontWeight: 'bold' as const,
					color: colors.text,
					formatter: (params: { value: unknown }) => shortNumber((params.value as [string, number])[1])
				},
				markLine: {
					symbol: 'none',
					silent: true,
					data: [
						line(input.target, input.targetLabel, colors.target),
						line(input.startValue, input.startLabel, colors.start)
					]
				}
			}
		]
	};
}
