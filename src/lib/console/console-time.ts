/**
 * The console's one way of writing times: `YYYY-MM-DD HH:mm:ss` in the district's zone
 * (Asia/Shanghai), whatever the language or the viewer's machine; and durations as m:ss or h:mm:ss.
 * Used by the queue, the detail panel, the answer-time panel and the refusal messages.
 */
import { formatCountdown } from '../alerts/sla';
import { DATE_TIME_TO_SECOND } from '../i18n/time';

const PARTS = new Intl.DateTimeFormat('en-GB', DATE_TIME_TO_SECOND);

/**
 * @param value an ISO timestamp, epoch milliseconds or a Date
 * @returns the time in Asia/Shanghai, or the value itself when it is not a time
 * @example formatConsoleTime('2026-11-29T03:40:05Z') // "2026-11-29 11:40:05"
 */
export function formatConsoleTime(value: string | number | Date): string {
	const date = new Date(value);
	if (Number.isNaN(date.getTime())) return String(value);
	const part = Object.fromEntries(PARTS.formatToParts(date).map((p) => [p.type, p.value]));
	return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/**
 * Whole seconds as m:ss, or h:mm:ss from an hour on; negative durations count as 0.
 * @example formatDuration(3725) // "1:02:05"
 */
export function formatDuration(seconds: number): string {
	const total = Math.max(0, Math.floor(seconds));
	const h = Math.floor(total / 3600);
	// The minutes and seconds are written as the SLA countdown writes them (m:ss), padded to mm:ss past an hour.
	return h > 0 ? `${h}:${formatCountdown(total % 3600).padStart(5, '0')}` : formatCountdown(total);
}
