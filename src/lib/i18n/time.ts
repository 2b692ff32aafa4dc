/** Times are shown in the district's zone, whatever the viewer's machine is set to. */
import type { Locale } from './messages';

export const DISPLAY_TIME_ZONE = 'Asia/Shanghai';

/** Date and time to the second, 24-hour, in the district's zone. */
export const DATE_TIME_TO_SECOND: Intl.DateTimeFormatOptions = {
	timeZone: DISPLAY_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
};

/** @example formatDateTime('2026-11-29T03:40:00Z', 'zh-CN') // "2026/11/29 11:40:00" */
export function formatDateTime(value: string | Date, locale: Locale): string {
	return new Intl.DateTimeFormat(locale, DATE_TIME_TO_SECOND).format(new Date(value));
}
