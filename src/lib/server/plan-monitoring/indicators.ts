/**
 * A district's plan indicators at a date: each with its time series, current value, progress and
 * status, counted from the facilities where the platform can and taken from staff entries where it
 * cannot; and the entry of such a figure, which must say where it comes from.
 */
import {
	elapsedShare,
	indicatorStatus,
	isIsoDate,
	seriesDates,
	todayInDistrict,
	type IndicatorEntry,
	type IndicatorMetric,
	type IndicatorPoint,
	type IndicatorState,
	type IndicatorUnit
} from '../../dashboard/plan-status';
import type { Sql } from '../db/client';
import { metricSeries } from './facility-metrics';
import { PlanMonitoringError } from './plan-error';

type IndicatorRow = Omit<
	IndicatorState,
	'current' | 'currentOn' | 'series' | 'progress' | 'expected' | 'status' | 'entries'
> & { id: string };

const MAX_SOURCE_LENGTH = 300;
const MAX_NOTE_LENGTH = 1000;

async function indicatorRows(sql: Sql, districtCode: string, key?: string): Promise<IndicatorRow[]> {
	return sql<IndicatorRow[]>`
		select id::text, key, position, name_zh, name_en, unit, kind, baseline::float8, start_value::float8,
			target::float8, period_start::text, period_end::text, metric, plan_ref
		from plan_indicators
		where district_code = ${districtCode} ${key === undefined ? sql`` : sql`and key = ${key}`}
		order by position, key`;
}

async function entriesUpTo(sql: Sql, indicatorIds: string[], asOf: string) {
	if (indicatorIds.length === 0) return [];
	return sql<(IndicatorEntry & { indicatorId: string })[]>`
		select id::int, indicator_id::text, value::float8, as_of::text, source, note, entered_by,
			to_char(entered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as entered_at
		from plan_indicator_entries
		where indicator_id in ${sql(indicatorIds)} and as_of <= ${asOf}::date
		order by as_of desc, entered_at desc, id desc`;
}

/** An entered indicator's series: per date, the latest entry made for it. */
function entrySeries(entries: IndicatorEntry[]): IndicatorPoint[] {
	const byDate = new Map<string, number>();
	for (const entry of entries) if (!byDate.has(entry.asOf)) byDate.set(entry.asOf, entry.value);
	return [...byDate].map(([on, value]) => ({ on, value })).sort((a, b) => a.on.localeCompare(b.on));
}

function withStatus(
	{ id: _, ...row }: IndicatorRow,
	asOf: string,
	series: IndicatorPoint[],
	entries: IndicatorEntry[]
): IndicatorState {
	const last = series.at(-1) ?? null;
	const expected = elapsedShare(row.periodStart, row.periodEnd, asOf);
	return {
		...row,
		current: last?.value ?? null,
		currentOn: last?.on ?? null,
		series,
		expected,
		...indicatorStatus(last?.value ?? null, row, expected),
		entries
	};
}

/** Every indicator of the district as it stood on `asOf`, in the plan's order. */
export async function listIndicators(
	sql: Sql,
	districtCode: string,
	asOf: string
): Promise<IndicatorState[]> {
	const rows = await indicatorRows(sql, districtCode);
	const entries = await entriesUpTo(
		sql,
		rows.filter((r) => !r.metric).map((r) => r.id),
		asOf
	);
	// Indicators of one plan share a period; series of different periods are counted apart.
	const computed = new Map<string, Map<IndicatorMetric, (number | null)[]>>();
	for (const row of rows.filter((r) => r.metric)) {
		const period = `${row.periodStart}/${row.periodEnd}`;
		if (computed.has(period)) continue;
		const metrics = [
			...new Set(
				rows.filter((r) => r.metric && `${r.periodStart}/${r.periodEnd}` === period).map((r) => r.metric!)
			)
		];
		computed.set(
			period,
			await metricSeries(
				sql,
				districtCode,
				metrics,
				seriesDates(row.periodStart, row.periodEnd, asOf),
				row.periodStart
			)
		);
	}
	return rows.map((row) => {
		if (!row.metric) {
			const own = entries.filter((e) => e.indicatorId === row.id).map(({ indicatorId: _, ...e }) => e);
			return withStatus(row, asOf, entrySeries(own), own);
		}
		const dates = seriesDates(row.periodStart, row.periodEnd, asOf);
		const values = computed.get(`${row.periodStart}/${row.periodEnd}`)!.get(row.metric)!;
		const series = dates.flatMap((on, i) => (values[i] === null ? [] : [{ on, value: values[i]! }]));
		return withStatus(row, asOf, series, []);
	});
}

export interface EntryInput {
	value: unknown;
	asOf: unknown;
	source: unknown;
	note?: unknown;
}

export interface ValidEntry {
	value: number;
	asOf: string;
	source: string;
	note: string | null;
}

/**
 * Checks a figure entered for an indicator of `unit`; the first problem is refused with its reason.
 * A figure without its source is refused: a number on the dashboard must say where it comes from.
 */
export function validateEntry(input: EntryInput, unit: IndicatorUnit, today: string): ValidEntry {
	const source = typeof input.source === 'string' ? input.source.trim() : '';
	if (!source)
		throw new PlanMonitoringError(
			'SOURCE_REQUIRED',
			'source: say where the figure comes from (a statistical report, a bureau document, a survey)'
		);
	if (source.length > MAX_SOURCE_LENGTH)
		throw new PlanMonitoringError('SOURCE_REQUIRED', `source: at most ${MAX_SOURCE_LENGTH} characters`);
	const raw = typeof input.value === 'string' ? input.value.trim() : input.value;
	const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
	if (!Number.isFinite(value)) throw new PlanMonitoringError('BAD_VALUE', 'value: a number is required');
	if (value < 0) throw new PlanMonitoringError('BAD_VALUE', 'value: cannot be negative');
	if (unit === 'percent' && value > 100)
		throw new PlanMonitoringError('BAD_VALUE', 'value: a percentage is between 0 and 100');
	if (unit !== 'percent' && !Number.isInteger(value))
		throw new PlanMonitoringError('BAD_VALUE', 'value: a count is a whole number');
	const asOf = typeof input.asOf === 'string' ? input.asOf.trim() : '';
	if (!isIsoDate(asOf))
		throw new PlanMonitoringError('BAD_DATE', 'asOf: the date the figure describes, as YYYY-MM-DD');
	if (asOf > today) throw new PlanMonitoringError('BAD_DATE', `asOf: ${asOf} is in the future`);
	const note = typeof input.note === 'string' && input.note.trim() ? input.note.trim() : null;
	if (note && note.length > MAX_NOTE_LENGTH)
		throw new PlanMonitoringError('BAD_VALUE', `note: at most ${MAX_NOTE_LENGTH} characters`);
	return { value, asOf, source, note };
}

/** Records a figure staff entered for one of the district's entered indicators; returns it. */
export async function addIndicatorEntry(
	sql: Sql,
	request: { districtCode: string; key: string; entry: EntryInput; actor: string }
): Promise<IndicatorEntry> {
	const [row] = await indicatorRows(sql, request.districtCode, request.key);
	if (!row)
		throw new PlanMonitoringError(
			'NOT_FOUND',
			`indicator ${request.key} is not in the plan of district ${request.districtCode}`
		);
	if (row.metric)
		throw new PlanMonitoringError(
			'COMPUTED',
			`indicator ${request.key} is counted by the platform from its facilities; it takes no entries`
		);
	const entry = validateEntry(request.entry, row.unit, todayInDistrict());
	const [saved] = await sql<IndicatorEntry[]>`
		insert into plan_indicator_entries (indicator_id, value, as_of, source, note, entered_by)
		values (${row.id}, ${entry.value}, ${entry.asOf}, ${entry.source}, ${entry.note}, ${request.actor})
		returning id::int, value::float8, as_of::text, source, note, entered_by,
			to_char(entered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as entered_at`;
	return saved;
}
