/** Times are shown in the district's zone, whatever the viewer's machine is set to. */
import type { Locale } from './messages';

export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

/** @example formatDateTime('2026-11-29T03:40:00Z', 'zh-CN') // "2026/11/29 11:40:00" */
export function formatDateTime(value: string | Date, locale: Locale): string {
	return new Intl.DateTimeFormat(locale, {
		timeZone: DISPLAY_TIME_ZONE,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hour12: false
	}).format(new Date(value));
}
