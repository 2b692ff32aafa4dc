/** Figures as the planning pages show them, in the page's language. */
import type { Locale } from '$lib/i18n/messages';

/** A share 0 … 1 as a percentage with one decimal; a dash when there is none. */
export function percent(share: number | null | undefined): string {
	return share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** A count of people, rounded, with the locale's digit grouping. */
export function count(value: number, locale: Locale): string {
	return Math.round(value).toLocaleString(locale);
}

/** A difference of shares in percentage points, signed: "+1.2" or "−0.4"; empty when none. */
export function points(before: number | null, after: number | null): string {
	if (before === null || after === null) return '';
	const delta = (after - before) * 100;
	if (Math.abs(delta) < 0.05) return '0.0';
	return `${delta > 0 ? '+' : '−'}${Math.abs(delta).toFixed(1)}`;
}

/** Seconds as whole minutes; a dash when unknown. */
export function minutes(seconds: number | null): string {
	return seconds === null ? '—' : String(Math.round(seconds / 60));
}
