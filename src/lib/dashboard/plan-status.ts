/**
 * The plan-monitoring model shared by the server, the dashboard and the evaluation report: what an
 * indicator and a project look like at a date, and the one rule that calls an indicator on track or
 * at risk. Pure: dates are ISO strings (YYYY-MM-DD) in the district's time zone.
 */
import { DISPLAY_TIME_ZONE } from '../i18n/time';

export const INDICATOR_UNITS = ['percent', 'beds', 'facilities', 'count'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];

/** Indicators the platform counts from its own facilities (and walking network), at any date. */
export const INDICATOR_METRICS = [
	'facility_count',
	'net_new_beds',
	'nursing_bed_share',
	'circle_community_share'
] as const;
export type IndicatorMetric = (typeof INDICATOR_METRICS)[number];

export type IndicatorStatus = 'achieved' | 'on_track' | 'at_risk' | 'no_data';

/** Progress may lag the elapsed share of the plan period by this much and still be on track. */
export const ON_TRACK_TOLERANCE = 0.1;

export interface IndicatorPoint {
	on: string;
	value: number;
}

export interface IndicatorEntry {
	id: number;
	value: number;
	asOf: string;
	source: string;
	note: string | null;
	enteredBy: string;
	enteredAt: string;
}

export interface IndicatorState {
	key: string;
	position: number;
	nameZh: string;
	nameEn: string;
	unit: IndicatorUnit;
	kind: 'binding' | 'expected';
	/** The previous plan's value as the plan states it; null where it gives none. */
	baseline: number | null;
	/** Where progress is measured from. */
	startValue: number;
	target: number;
	periodStart: string;
	periodEnd: string;
	/** The platform's count, or null for a figure staff enter. */
	metric: IndicatorMetric | null;
	planRef: string;
	/** The value at the date asked for; null when nothing is known by then. */
	current: number | null;
	/** The date the current value describes. */
	currentOn: string | null;
	series: IndicatorPoint[];
	/** (current − start) / (target − start); null without a current value. */
	progress: number | null;
	/** The elapsed share of the plan period at the date asked for, 0 … 1. */
	expected: number;
	status: IndicatorStatus;
	/** Entries made by staff up to the date, latest first (empty for computed indicators). */
	entries: IndicatorEntry[];
}

export const PROJECT_STAGES = ['proposed', 'approved', 'building', 'open'] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];

export interface ProjectStageRecord {
	stage: ProjectStage;
	reachedOn: string;
	note: string | null;
	enteredBy: string;
	enteredAt: string;
}

export interface ProjectState {
	id: number;
	key: string;
	position: number;
	name: string;
	description: string;
	bedsMin: number | null;
	bedsMax: number | null;
	budgetYuan: number | null;
	planRef: string;
	/** The stage reached by the date asked for. */
	stage: ProjectStage;
	/** The latest stage recorded, whatever the date asked for. */
	latestStage: ProjectStage;
	stages: ProjectStageRecord[];
	facility: {
		id: number;
		name: string;
		kind: string;
		status: string;
		beds: number;
		nursingBeds: number;
		lon: number;
		lat: number;
	} | null;
}

const DAY_MS = 86_400_000;

/** Today in the district's time zone. @example todayInDistrict(new Date('2026-11-29T20:00:00Z')) // "2026-11-30" */
export function todayInDistrict(now: Date = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: DISPLAY_TIME_ZONE }).format(now);
}

/** Whether a string is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function days(from: string, to: string): number {
	return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS;
}

/** The last day before the period: the base year's end, where the plan's baselines stand. */
export function baseDate(periodStart: string): string {
	return new Date(Date.parse(`${periodStart}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/**
 * The share of the plan period elapsed at the end of `on`, 0 … 1.
 * @example elapsedShare('2021-01-01', '2025-12-31', '2023-06-30') // ≈ 0.5
 */
export function elapsedShare(periodStart: string, periodEnd: string, on: string): number {
	const share = (days(periodStart, on) + 1) / (days(periodStart, periodEnd) + 1);
	return Math.min(1, Math.max(0, share));
}

/**
 * The dates of an indicator's time series: the base date, each year's end before `asOf`, and `asOf`.
 * @example seriesDates('2021-01-01', '2025-12-31', '2023-03-01') // ['2020-12-31', '2021-12-31', '2022-12-31', '2023-03-01']
 */
export function seriesDates(periodStart: string, periodEnd: string, asOf: string): string[] {
	const base = baseDate(periodStart);
	if (asOf <= base) return [asOf];
	const dates = [base];
	const lastYear = Number(periodEnd.slice(0, 4));
	for (let year = Number(periodStart.slice(0, 4)); year <= lastYear; year++) {
		const yearEnd = `${year}-12-31`;
		if (yearEnd < asOf) dates.push(yearEnd);
	}
	dates.push(asOf);
	return dates;
}

/**
 * The rule the dashboard states: achieved once the value reaches the target; on track while
 * progress towards it is no more than ON_TRACK_TOLERANCE behind the elapsed share of the period;
 * at risk otherwise; no data without a value.
 */
export function indicatorStatus(
	current: number | null,
	indicator: { startValue: number; target: number },
	expected: number
): { progress: number | null; status: IndicatorStatus } {
	if (current === null) return { progress: null, status: 'no_data' };
	const span = indicator.target - indicator.startValue;
	const progress = span === 0 ? 1 : (current - indicator.startValue) / span;
	if (current >= indicator.target) return { progress, status: 'achieved' };
	return { progress, status: progress >= expected - ON_TRACK_TOLERANCE ? 'on_track' : 'at_risk' };
}

/** The stage a project had reached by `on`, from its recorded stages (proposed before any). */
export function stageOn(stages: ProjectStageRecord[], on: string): ProjectStage {
	let reached: ProjectStage = 'proposed';
	for (const record of stages)
		if (record.reachedOn <= on && PROJECT_STAGES.indexOf(record.stage) > PROJECT_STAGES.indexOf(reached))
			reached = record.stage;
	return reached;
}

/** The stage after `stage`, or null once a project is open. */
export function nextStage(stage: ProjectStage): ProjectStage | null {
	return PROJECT_STAGES[PROJECT_STAGES.indexOf(stage) + 1] ?? null;
}
