import { describe, expect, it } from 'vitest';
import { nextState } from '../../src/lib/server/alerts/incident-state';

/** A responder has accepted the incident, so it can be gone to. */
const accepted = { responderAccepted: true };

describe('nextState', () => {
	it('walks the normal path from new to resolved', () => {
		expect(nextState('new', 'acknowledge')).toEqual({ ok: true, to: 'acknowledged' });
		expect(nextState('acknowledged', 'assign')).toEqual({ ok: true, to: 'assigned' });
		expect(nextState('assigned', 'depart', accepted)).toEqual({ ok: true, to: 'en_route' });
		expect(nextState('en_route', 'arrive', accepted)).toEqual({ ok: true, to: 'on_scene' });
		expect(nextState('on_scene', 'resolve', { outcome: 'home_visit' })).toEqual({ ok: true, to: 'resolved' });
	});

	it('rejects a transition the state does not allow, saying why', () => {
		expect(nextState('on_scene', 'assign')).toEqual({
			ok: false,
			reason: 'cannot assign an incident that is on scene',
			detail: { kind: 'invalid_transition', action: 'assign', state: 'on_scene' }
		});
		expect(nextState('resolved', 'acknowledge')).toEqual({
			ok: false,
			reason: 'cannot acknowledge an incident that is resolved',
			detail: { kind: 'invalid_transition', action: 'acknowledge', state: 'resolved' }
		});
		expect(nextState('on_scene', 'escalate').ok).toBe(false);
	});

	it('refuses to resolve without a known outcome code', () => {
		expect(nextState('on_scene', 'resolve')).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/needs an outcome/)
		});
		expect(nextState('on_scene', 'resolve', { outcome: 'magic' })).toMatchObject({ ok: false });
	});

	it('closes as a false alarm when resolving with that outcome', () => {
		expect(nextState('on_scene', 'resolve', { outcome: 'false_alarm' })).toEqual({
			ok: true,
			to: 'false_alarm'
		});
		expect(nextState('acknowledged', 'resolve', { outcome: 'resolved_by_phone' })).toEqual({
			ok: true,
			to: 'resolved'
		});
	});

	it('lets an escalated incident be acknowledged and a false alarm be closed from any open state', () => {
		expect(nextState('escalated', 'acknowledge')).toEqual({ ok: true, to: 'acknowledged' });
		expect(nextState('new', 'mark_false_alarm')).toEqual({ ok: true, to: 'false_alarm' });
	});

	it("keeps an assigned or travelling responder's progress when the incident escalates around them", () => {
		expect(nextState('en_route', 'escalate', { responderOnIt: true })).toEqual({ ok: true, to: 'en_route' });
		expect(nextState('assigned', 'escalate', { responderOnIt: true })).toEqual({ ok: true, to: 'assigned' });
		// Every offer declined or timed out: nobody is on it any more.
		expect(nextState('assigned', 'escalate', { responderOnIt: false })).toEqual({
			ok: true,
			to: 'escalated'
		});
		expect(nextState('en_route', 'arrive', accepted)).toEqual({ ok: true, to: 'on_scene' });
		expect(nextState('assigned', 'assign')).toEqual({ ok: true, to: 'assigned' });
	});

	it('sends an unanswered incident up the ladder again and again, to be acknowledged there', () => {
		expect(nextState('new', 'escalate')).toEqual({ ok: true, to: 'escalated' });
		expect(nextState('escalated', 'escalate')).toEqual({ ok: true, to: 'escalated' });
		expect(nextState('escalated', 'arrive')).toMatchObject({ ok: false });
	});
});
