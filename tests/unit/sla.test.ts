import { describe, expect, it } from 'vitest';
import {
	byUrgency,
	formatCountdown,
	formatShare,
	isUnacknowledged,
	missesTarget,
	slaCountdown,
	slaTone,
	waitingSeconds,
	worseSeverity
} from '../../src/lib/alerts/sla';
import { incidentSummary } from '../support/incident-summary';

const incident = incidentSummary;

describe('slaCountdown', () => {
	it('counts down to the acknowledge deadline the server set', () => {
		const open = incident({ sla: { kind: 'ack', dueAt: '2026-11-29T06:01:00Z' } });
		expect(slaCountdown(open, Date.parse('2026-11-29T06:00:15Z'))).toEqual({
			kind: 'ack',
			secondsLeft: 45,
			overdue: false
		});
	});

	it('reports an on-scene timer past its deadline as overdue with negative seconds', () => {
		const late = incident({ state: 'en_route', sla: { kind: 'on_scene', dueAt: '2026-11-29T06:15:00Z' } });
		expect(slaCountdown(late, Date.parse('2026-11-29T06:16:30Z'))).toEqual({
			kind: 'on_scene',
			secondsLeft: -90,
			overdue: true
		});
	});

	it('is not overdue in the very second of the deadline', () => {
		const open = incident({ sla: { kind: 'ack', dueAt: '2026-11-29T06:01:00Z' } });
		expect(slaCountdown(open, Date.parse('2026-11-29T06:01:00.400Z'))).toMatchObject({
			secondsLeft: 0,
			overdue: false
		});
	});

	it('has nothing to count once no timer runs', () => {
		expect(slaCountdown(incident({ state: 'on_scene', sla: null }), Date.now())).toBeNull();
	});
});

describe('byUrgency', () => {
	it('puts the most severe first, then the oldest', () => {
		const queue = [
			incident({ id: 1, severity: 'high', openedAt: '2026-11-29T06:00:00Z' }),
			incident({ id: 2, severity: 'critical', openedAt: '2026-11-29T06:05:00Z' }),
			incident({ id: 3, severity: 'critical', openedAt: '2026-11-29T06:01:00Z' }),
			incident({ id: 4, severity: 'low', openedAt: '2026-11-29T05:00:00Z' })
		].sort(byUrgency);
		expect(queue.map((i) => i.id)).toEqual([3, 2, 1, 4]);
	});
});

describe('isUnacknowledged', () => {
	it('counts new and escalated incidents as waiting for a dispatcher', () => {
		expect(isUnacknowledged({ state: 'new' })).toBe(true);
		expect(isUnacknowledged({ state: 'escalated' })).toBe(true);
		expect(isUnacknowledged({ state: 'acknowledged' })).toBe(false);
		expect(isUnacknowledged({ state: 'assigned' })).toBe(false);
	});
});

describe('worseSeverity', () => {
	it('keeps the more urgent of two severities', () => {
		expect(worseSeverity('low', 'critical')).toBe('critical');
		expect(worseSeverity('high', 'medium')).toBe('high');
		expect(worseSeverity('medium', 'medium')).toBe('medium');
	});
});

describe('formatCountdown', () => {
	it('writes m:ss, with a minus sign when overdue', () => {
		expect(formatCountdown(45)).toBe('0:45');
		expect(formatCountdown(605)).toBe('10:05');
		expect(formatCountdown(-90)).toBe('−1:30');
	});
});

describe('answer-time KPI helpers', () => {
	it('flags a share below its target, and no alerts at all as no miss', () => {
		expect(missesTarget(0.974, 0.975)).toBe(true);
		expect(missesTarget(0.975, 0.975)).toBe(false);
		expect(missesTarget(1, 0.99)).toBe(false);
		expect(missesTarget(null, 0.99)).toBe(false);
	});

	it('rounds a share down to one decimal, so a miss never reads as the target', () => {
		expect(formatShare(0.9749)).toBe('97.4');
		expect(formatShare(0.975)).toBe('97.5');
		expect(formatShare(0.57)).toBe('57.0');
		expect(formatShare(1)).toBe('100.0');
		expect(formatShare(null)).toBeNull();
	});
});

describe('slaTone', () => {
	it('stays calm while the acknowledge deadline is more than 20 s away', () => {
		expect(slaTone({ kind: 'ack', secondsLeft: 21, overdue: false })).toBe('ok');
	});

	it('turns amber in the last 20 s before the acknowledge deadline, its own second included', () => {
		expect(slaTone({ kind: 'ack', secondsLeft: 20, overdue: false })).toBe('warn');
		expect(slaTone({ kind: 'ack', secondsLeft: 0, overdue: false })).toBe('warn');
	});

	it('turns amber five minutes before an on-scene deadline', () => {
		expect(slaTone({ kind: 'on_scene', secondsLeft: 301, overdue: false })).toBe('ok');
		expect(slaTone({ kind: 'on_scene', secondsLeft: 300, overdue: false })).toBe('warn');
	});

	it('turns red once the deadline has passed', () => {
		expect(slaTone({ kind: 'on_scene', secondsLeft: -1, overdue: true })).toBe('overdue');
	});
});

describe('waitingSeconds', () => {
	it('counts whole seconds since the incident opened', () => {
		const open = incident({ openedAt: '2026-11-29T06:00:00Z' });
		expect(waitingSeconds(open, Date.parse('2026-11-29T06:02:05.900Z'))).toBe(125);
	});

	it('never goes below zero when the console clock is behind the server', () => {
		const open = incident({ openedAt: '2026-11-29T06:00:00Z' });
		expect(waitingSeconds(open, Date.parse('2026-11-29T05:59:58Z'))).toBe(0);
	});
});
