/** How the dashboard and the report write indicator values, units and project money. */
import type { Locale, MessageKey } from '../i18n/messages';
import type { IndicatorState } from './plan-status';

/** @example indicatorValue(62.345, 'percent', 'en') // "62.3" */
export function indicatorValue(value: number | null, unit: IndicatorState['unit'], locale: Locale): string {
	if (value === null) return '—';
	if (unit === 'percent') return value.toFixed(1);
	return Math.round(value).toLocaleString(locale);
}

/** @example wholePercent(0.456) // "46%" */
export function wholePercent(share: number | null): string {
	return share === null ? '—' : `${Math.round(share * 100)}%`;
}

export const unitKey = (unit: IndicatorState['unit']): MessageKey => `dashboard.unit.${unit}`;

/** The indicator's name in the reader's language. */
export function indicatorName(indicator: Pick<IndicatorState, 'nameZh' | 'nameEn'>, locale: Locale): string {
	return locale === 'en' ? indicator.nameEn : indicator.nameZh;
}

/** A budget in yuan as the catalogue's wording wants it (万元 in Chinese, millions in English). */
export function budgetAmounts(yuan: number, locale: Locale): { wan: string; million: string } {
	return {
		wan: (yuan / 10_000).toLocaleString(locale, { maximumFractionDigits: 1 }),
		million: (yuan / 1_000_000).toLocaleString(locale, { maximumFractionDigits: 2 })
	};
}
