import { describe, expect, it } from 'vitest';
import { becameCriticalWaiting, isCriticalWaiting } from '../../src/lib/console/critical-alarm';
import { incidentSummary as incident } from '../support/incident-summary';

describe('when the console sounds its alarm', () => {
	it('counts only critical incidents nobody has acknowledged (an escalated one too)', () => {
		expect(isCriticalWaiting(incident({ state: 'new' }))).toBe(true);
		expect(isCriticalWaiting(incident({ state: 'escalated' }))).toBe(true);
		expect(isCriticalWaiting(incident({ state: 'acknowledged' }))).toBe(false);
		expect(isCriticalWaiting(incident({ severity: 'high', state: 'new' }))).toBe(false);
	});

	it('rings for a critical incident opened where the console had nothing', () => {
		expect(becameCriticalWaiting([], [incident({ id: 1 })])).toBe(true);
	});

	it('rings when an unacknowledged incident is raised to critical', () => {
		expect(becameCriticalWaiting([incident({ id: 1, severity: 'high' })], [incident({ id: 1 })])).toBe(true);
	});

	it('rings when a critical alert puts an acknowledged incident back to new', () => {
		const acknowledged = incident({ id: 1, state: 'acknowledged' });
		expect(becameCriticalWaiting([acknowledged], [incident({ id: 1, state: 'new' })])).toBe(true);
	});

	it('stays quiet for another alert on a critical incident that already waits, and for an acknowledgement', () => {
		const waiting = incident({ id: 1 });
		expect(becameCriticalWaiting([waiting], [incident({ id: 1, alertCount: 2 })])).toBe(false);
		expect(becameCriticalWaiting([waiting], [{ ...waiting, state: 'acknowledged' }])).toBe(false);
		expect(becameCriticalWaiting([], [incident({ id: 2, severity: 'high' })])).toBe(false);
	});

	it('tells a catch-up whether anything it brought in is newly critical and waiting', () => {
		const seen = incident({ id: 1 });
		expect(becameCriticalWaiting([seen], [seen, incident({ id: 2 }), incident({ id: 3 })])).toBe(true);
		expect(becameCriticalWaiting([seen], [seen, incident({ id: 4, state: 'acknowledged' })])).toBe(false);
	});
});
