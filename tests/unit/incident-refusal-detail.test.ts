import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { nextState } from '../../src/lib/server/alerts/incident-state';
import { IncidentActionError } from '../../src/lib/server/alerts/incidents';
import { whyUnavailable } from '../../src/lib/server/dispatch/assignments';
import { asHttp } from '../../src/lib/server/http/json-body';
import { responderSummary } from '../support/responder-summary';

const HOME: [number, number] = [118.08, 24.45];

describe('the state machine says why it refuses, as data', () => {
	it('names the action and the state of a transition the state does not allow', () => {
		expect(nextState('on_scene', 'depart', { responderAccepted: true })).toMatchObject({
			ok: false,
			detail: { kind: 'invalid_transition', action: 'depart', state: 'on_scene' }
		});
	});

	it('asks for an outcome when resolving without a known one', () => {
		for (const outcome of [undefined, null, '', 'magic'])
			expect(nextState('acknowledged', 'resolve', { outcome })).toMatchObject({
				ok: false,
				detail: { kind: 'needs_outcome' }
			});
	});

	it('closes a false alarm with the false-alarm outcome only', () => {
		expect(nextState('new', 'mark_false_alarm', { outcome: 'home_visit' })).toMatchObject({
			ok: false,
			detail: { kind: 'needs_outcome' }
		});
		expect(nextState('new', 'mark_false_alarm', { outcome: 'false_alarm' })).toEqual({
			ok: true,
			to: 'false_alarm'
		});
		expect(nextState('new', 'mark_false_alarm', { outcome: null })).toEqual({ ok: true, to: 'false_alarm' });
	});

	it('lets nobody go or arrive before a responder accepted the incident', () => {
		for (const [state, action] of [
			['assigned', 'depart'],
			['assigned', 'arrive'],
			['en_route', 'arrive']
		] as const) {
			expect(nextState(state, action, { responderOnIt: true, responderAccepted: false })).toMatchObject({
				ok: false,
				detail: { kind: 'no_accepted_responder' }
			});
			expect(nextState(state, action, { responderAccepted: true }).ok).toBe(true);
		}
	});

	it('escalates up to the severity’s top rung and no further', () => {
		expect(nextState('escalated', 'escalate', { escalationLevel: 0, topTier: 1 })).toEqual({
			ok: true,
			to: 'escalated'
		});
		expect(nextState('escalated', 'escalate', { escalationLevel: 1, topTier: 1 })).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/community_station/),
			detail: { kind: 'top_rung' }
		});
		expect(nextState('new', 'escalate', { escalationLevel: 4 })).toMatchObject({
			ok: false,
			detail: { kind: 'top_rung' }
		});
	});
});

describe('why a responder cannot be sent', () => {
	const check = (overrides: Parameters<typeof responderSummary>[2], district = '350203') =>
		whyUnavailable(responderSummary(7, HOME, { name: '王芳', ...overrides }), '08:00–20:00', district);

	it('says whether they are busy, off, in another district or off shift', () => {
		expect(check({ status: 'busy' })?.detail).toEqual({
			kind: 'responder_unavailable',
			responder: '王芳',
			status: 'busy'
		});
		expect(check({ status: 'off' })?.detail).toMatchObject({ status: 'off' });
		expect(check({}, '350206')).toEqual({
			message: '王芳 works in district 350203, not 350206',
			detail: { kind: 'responder_unavailable', responder: '王芳', status: 'other_district' }
		});
		expect(check({ onShift: false })).toEqual({
			message: '王芳 is off shift (shift 08:00–20:00 Asia/Shanghai)',
			detail: { kind: 'responder_unavailable', responder: '王芳', status: 'off_shift' }
		});
	});

	it('finds nothing against an available responder on shift in the district', () => {
		expect(check({})).toBeNull();
	});
});

describe('a refusal on its way to a client', () => {
	const refusal = new IncidentActionError('CONFLICT', 'already acknowledged by d1 at 10:00:00', {
		kind: 'already_acknowledged',
		by: 'd1',
		at: '2026-12-07T02:00:00.000Z'
	});

	it('carries its detail in a console’s command answer', () => {
		expect(refusal.toResult()).toEqual({
			ok: false,
			code: 'CONFLICT',
			message: 'already acknowledged by d1 at 10:00:00',
			detail: { kind: 'already_acknowledged', by: 'd1', at: '2026-12-07T02:00:00.000Z' }
		});
		expect(new IncidentActionError('NOT_FOUND', 'incident 1 does not exist').toResult()).toEqual({
			ok: false,
			code: 'NOT_FOUND',
			message: 'incident 1 does not exist'
		});
	});

	it('carries its detail in an HTTP error body', async () => {
		const thrown = await asHttp(() => Promise.reject(refusal)).catch((error: unknown) => error);
		expect(isHttpError(thrown)).toBe(true);
		expect(thrown).toMatchObject({
			status: 409,
			body: {
				code: 'CONFLICT',
				message: 'CONFLICT: already acknowledged by d1 at 10:00:00',
				detail: { kind: 'already_acknowledged', by: 'd1' }
			}
		});
	});
});
