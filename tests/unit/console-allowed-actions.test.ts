import { describe, expect, it } from 'vitest';
import { INCIDENT_ACTIONS, INCIDENT_STATES, TRANSITIONS } from '../../src/lib/alerts/incident-transitions';
import { nextState } from '../../src/lib/server/alerts/incident-state';
import { actionBlock, firstAvailableProposal, proposalBlock } from '../../src/lib/console/allowed-actions';
import type { ResponderProposal } from '../../src/lib/realtime/events';
import { incidentSummary } from '../support/incident-summary';
import { responderSummary } from '../support/responder-summary';

const online = { connection: 'online', pending: false } as const;
const proposal = (id: number, overrides: Parameters<typeof responderSummary>[2] = {}): ResponderProposal => ({
	responder: responderSummary(id, [118.088, 24.452], overrides),
	seconds: 120,
	meters: 100,
	method: 'network',
	inTerritory: true,
	missingSkills: []
});

describe('actionBlock', () => {
	it('offers acknowledging a new incident', () => {
		expect(actionBlock(incidentSummary(), 'acknowledge', online)).toBeNull();
	});

	it('greys out acknowledging an incident someone already answered', () => {
		expect(actionBlock(incidentSummary({ state: 'assigned' }), 'acknowledge', online)).toEqual({
			kind: 'invalid_transition',
			action: 'acknowledge',
			state: 'assigned'
		});
	});

	it('greys out escalating once someone is on scene', () => {
		expect(actionBlock(incidentSummary({ state: 'on_scene' }), 'escalate', online)).toEqual({
			kind: 'invalid_transition',
			action: 'escalate',
			state: 'on_scene'
		});
	});

	it('greys out escalating at the last rung of the ladder', () => {
		expect(
			actionBlock(incidentSummary({ state: 'escalated', escalationLevel: 4 }), 'escalate', online)
		).toEqual({ kind: 'top_rung' });
	});

	it("greys out escalating at the severity's own top rung, below the ladder's last", () => {
		const withTopTiers = { ...online, topTiers: { medium: 2, critical: 4 } };
		const medium = incidentSummary({ severity: 'medium', state: 'escalated', escalationLevel: 2 });
		expect(actionBlock(medium, 'escalate', withTopTiers)).toEqual({ kind: 'top_rung' });
		expect(actionBlock({ ...medium, escalationLevel: 1 }, 'escalate', withTopTiers)).toBeNull();
		const critical = { ...medium, severity: 'critical' as const };
		expect(actionBlock(critical, 'escalate', withTopTiers)).toBeNull();
	});

	it('offers departing only once the responder has accepted', () => {
		const offered = incidentSummary({
			state: 'assigned',
			responder: { id: 1, name: 'Li', assignment: 'offered' }
		});
		expect(actionBlock(offered, 'depart', online)).toEqual({ kind: 'no_accepted_responder' });
		const accepted = { ...offered, responder: { id: 1, name: 'Li', assignment: 'accepted' as const } };
		expect(actionBlock(accepted, 'depart', online)).toBeNull();
	});

	it('greys out every command while the link is down or a command is waiting', () => {
		expect(actionBlock(incidentSummary(), 'acknowledge', { connection: 'offline', pending: false })).toEqual({
			kind: 'offline'
		});
		expect(actionBlock(incidentSummary(), 'resolve', { connection: 'online', pending: true })).toEqual({
			kind: 'pending'
		});
	});
});

describe('proposalBlock', () => {
	it('offers a free, on-shift responder of the district', () => {
		expect(proposalBlock(incidentSummary(), proposal(1), online)).toBeNull();
	});

	it('says why a busy, off-shift or other district’s responder cannot be assigned', () => {
		expect(proposalBlock(incidentSummary(), proposal(1, { status: 'busy' }), online)).toEqual({
			kind: 'responder_unavailable',
			responder: 'R1',
			status: 'busy'
		});
		expect(proposalBlock(incidentSummary(), proposal(2, { onShift: false }), online)).toMatchObject({
			status: 'off_shift'
		});
		expect(proposalBlock(incidentSummary(), proposal(3, { districtCode: '350206' }), online)).toMatchObject({
			status: 'other_district'
		});
	});

	it('greys out assigning a closed incident', () => {
		expect(proposalBlock(incidentSummary({ state: 'on_scene' }), proposal(1), online)).toMatchObject({
			kind: 'invalid_transition',
			action: 'assign'
		});
	});
});

describe('firstAvailableProposal', () => {
	it('skips responders who are busy or off shift', () => {
		const proposals = [proposal(1, { status: 'busy' }), proposal(2, { onShift: false }), proposal(3)];
		expect(firstAvailableProposal(incidentSummary(), proposals)).toBe(2);
	});

	it('is -1 when nobody is free', () => {
		expect(firstAvailableProposal(incidentSummary(), [proposal(1, { status: 'off' })])).toBe(-1);
	});
});

describe('the shared transition table', () => {
	it('allows exactly what the server’s state machine allows', () => {
		for (const state of INCIDENT_STATES)
			for (const action of INCIDENT_ACTIONS) {
				const allowed = (TRANSITIONS[action].from as readonly string[]).includes(state);
				const facts = { outcome: action === 'resolve' ? 'home_visit' : null, responderAccepted: true };
				expect(nextState(state, action, facts).ok, `${action} from ${state}`).toBe(allowed);
			}
	});
});
