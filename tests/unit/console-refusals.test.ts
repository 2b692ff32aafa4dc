import { describe, expect, it } from 'vitest';
import { actorLabel, actorParts, refusalText } from '../../src/lib/console/refusals';

describe('refusalText', () => {
	it('names who acknowledged first and when, in the console time format', () => {
		const detail = {
			kind: 'already_acknowledged',
			by: 'wang (socket:127.0.0.1)',
			at: '2026-11-29T03:40:05Z'
		} as const;
		expect(refusalText('zh-CN', detail)).toBe(
			'冲突：该告警已由 wang · 调度台 于 2026-11-29 11:40:05 确认，无需重复确认。'
		);
		expect(refusalText('en', detail)).toBe(
			'Conflict: wang · console already acknowledged this alert at 2026-11-29 11:40:05.'
		);
	});

	it('keeps a time of day the server sent as it is', () => {
		expect(refusalText('en', { kind: 'already_acknowledged', by: 'sla-timer', at: '11:40:05' })).toBe(
			'Conflict: SLA timer already acknowledged this alert at 11:40:05.'
		);
	});

	it('says whether the responder already assigned has accepted, and who assigned them', () => {
		expect(
			refusalText('zh-CN', { kind: 'already_assigned', responder: '网格员甲', state: 'offered', by: null })
		).toBe('冲突：该告警已派给 网格员甲，正在等待接单。');
		expect(
			refusalText('en', {
				kind: 'already_assigned',
				responder: 'Li',
				state: 'accepted',
				by: 'zhao (web:10.0.0.2)'
			})
		).toBe('Conflict: Li has already accepted this alert. (assigned by zhao · web)');
	});

	it('words an invalid transition with the action and the state in the console language', () => {
		const detail = { kind: 'invalid_transition', action: 'depart', state: 'on_scene' } as const;
		expect(refusalText('zh-CN', detail)).toBe('当前状态为「已到场」，不能标记出发。');
		expect(refusalText('en', detail)).toBe('Cannot mark as departed while the alert is “On scene”.');
	});

	it('gives each reason a responder cannot be assigned its own words', () => {
		const unavailable = (status: 'busy' | 'off' | 'other_district' | 'off_shift') =>
			refusalText('en', { kind: 'responder_unavailable', responder: 'Li', status });
		expect(unavailable('busy')).toBe('Li is busy with another alert and cannot be assigned.');
		expect(unavailable('off')).toBe('Li is off duty and cannot be assigned.');
		expect(unavailable('other_district')).toBe('Li belongs to another district and cannot be assigned.');
		expect(unavailable('off_shift')).toBe('Li is off shift now and cannot be assigned.');
		expect(refusalText('zh-CN', { kind: 'responder_engaged', responder: '李' })).toBe(
			'李 已有其他任务，不能再派单。'
		);
	});

	it('words the refusals without parameters', () => {
		expect(refusalText('zh-CN', { kind: 'needs_outcome' })).toBe('办结前请先选择办结结果。');
		expect(refusalText('en', { kind: 'no_accepted_responder' })).toMatch(/^No responder has accepted yet/);
		expect(refusalText('en', { kind: 'top_rung' })).toBe(
			'Already at the highest rung for its severity; it cannot be escalated further.'
		);
		expect(refusalText('zh-CN', { kind: 'offline' })).toBe('未连接到服务器：恢复连接后才能操作。');
	});

	it('returns null for a kind it does not know, so the server message is shown instead', () => {
		expect(refusalText('en', { kind: 'added_later' } as never)).toBeNull();
	});
});

describe('actorLabel', () => {
	it('drops the connection suffix of a dispatcher and keeps it for the tooltip', () => {
		expect(actorLabel('zh-CN', 'wang (socket:127.0.0.1)')).toEqual({
			text: 'wang · 调度台',
			title: 'wang (socket:127.0.0.1)'
		});
	});

	it('translates the timers and other system actors', () => {
		expect(actorLabel('zh-CN', 'sla-timer').text).toBe('时限计时器');
		expect(actorLabel('en', 'dispatch-timer').text).toBe('Dispatch timer');
		expect(actorLabel('en', 'platform').text).toBe('Platform');
	});

	it('names a responder from the console’s list, or by number', () => {
		const names = (id: number) => (id === 7 ? '网格员甲' : undefined);
		expect(actorLabel('zh-CN', 'responder:7', names).text).toBe('处置人员 网格员甲');
		expect(actorLabel('en', 'responder:8', names).text).toBe('Responder #8');
		expect(actorLabel('en', 'wang (web:10.0.0.2) for responder:7', names).text).toBe(
			'wang · web for Responder 网格员甲'
		);
	});

	it('shows a device and an unknown actor as they are', () => {
		expect(actorLabel('en', 'device:T-SOS-1').text).toBe('Device T-SOS-1');
		expect(actorLabel('en', 'Some Script 2').text).toBe('Some Script 2');
		expect(actorLabel('en', 'new-timer').text).toBe('new-timer');
	});

	it('splits an anonymous web actor from a logged-in one', () => {
		expect(actorParts('web:10.0.0.2')).toEqual({ kind: 'anonymous', address: '10.0.0.2' });
	});
});
