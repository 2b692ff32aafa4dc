import { describe, expect, it } from 'vitest';
import { formatConsoleTime, formatDuration } from '../../src/lib/console/console-time';
import { pluralKey } from '../../src/lib/console/plural';
import { translate } from '../../src/lib/i18n/messages';

describe('formatConsoleTime', () => {
	it('writes YYYY-MM-DD HH:mm:ss in Asia/Shanghai', () => {
		expect(formatConsoleTime('2026-11-29T03:40:05Z')).toBe('2026-11-29 11:40:05');
	});

	it('writes the hours after midnight as 00, on the next day in Shanghai', () => {
		expect(formatConsoleTime('2026-11-29T16:00:00Z')).toBe('2026-11-30 00:00:00');
	});

	it('returns a value that is not a time as it is', () => {
		expect(formatConsoleTime('11:40:05')).toBe('11:40:05');
	});
});

describe('formatDuration', () => {
	it('writes m:ss under an hour and h:mm:ss from an hour on', () => {
		expect(formatDuration(5)).toBe('0:05');
		expect(formatDuration(125)).toBe('2:05');
		expect(formatDuration(3725)).toBe('1:02:05');
	});

	it('counts a negative duration as zero', () => {
		expect(formatDuration(-3)).toBe('0:00');
	});
});

describe('pluralKey', () => {
	it('picks the singular in English for one, and the plural otherwise', () => {
		expect(translate('en', pluralKey('en', 'console.alerts', 1), { count: 1 })).toBe('1 alert');
		expect(translate('en', pluralKey('en', 'console.alerts', 0), { count: 0 })).toBe('0 alerts');
		expect(translate('en', pluralKey('en', 'kpi.critical', 2), { day: 'd', count: 2 })).toBe(
			'd · 2 critical alerts'
		);
	});

	it('has one form in Chinese', () => {
		expect(translate('zh-CN', pluralKey('zh-CN', 'console.alerts', 1), { count: 1 })).toBe('1 次告警');
	});
});
