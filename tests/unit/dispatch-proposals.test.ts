import { describe, expect, it } from 'vitest';
import { SKILLS_NEEDED, skillsNeeded } from '../../src/lib/server/alerts/alert-kinds';
import {
	MISSING_SKILL_PENALTY_S,
	POSITION_STALE_AFTER_S,
	orStraightLine,
	rankResponders
} from '../../src/lib/server/dispatch/proposals';
import { buildWalkGraph, haversineMeters, walkingTimesFrom } from '../../src/lib/routing/walk-graph';
import type { ResponderSummary } from '../../src/lib/realtime/events';
import { responderSummary } from '../support/responder-summary';

/*
 * Two islands of paths with no way between them: the home is on the western one (nodes 0–1), and
 * the eastern one (nodes 2–3) is 1 km away across water the network does not cross.
 */
const D = 0.001; // ≈ 100 m of longitude here
const nodes = [
	{ lon: 118.1, lat: 24.45 },
	{ lon: 118.1 + 2 * D, lat: 24.45 },
	{ lon: 118.1 + 10 * D, lat: 24.45 },
	{ lon: 118.1 + 12 * D, lat: 24.45 }
];
const at = (i: number): [number, number] => [nodes[i].lon, nodes[i].lat];
const graph = buildWalkGraph(nodes, [
	{ from: 0, to: 1, lengthM: haversineMeters(at(0), at(1)) },
	{ from: 2, to: 3, lengthM: haversineMeters(at(2), at(3)) }
]);
const HOME = at(0);
const NOW = new Date('2026-11-29T02:00:00Z');
const walkTo = orStraightLine(
	walkingTimesFrom(graph, HOME, { speedMps: 1.3, limitSeconds: 7200 }),
	HOME,
	1.3
);

const responder = (id: number, location: [number, number], extra: Partial<ResponderSummary> = {}) =>
	responderSummary(id, location, { positionAt: NOW.toISOString(), ...extra });

describe('proposing responders', () => {
	it('ranks a responder the network cannot reach after the walked ones, by straight line', () => {
		const island = responder(1, at(2));
		const walkedFar = responder(2, at(1));
		const ranked = rankResponders(walkTo, { communityCode: null }, [island, walkedFar], {
			limit: 5,
			now: NOW
		});
		expect(ranked.map((p) => [p.responder.id, p.method])).toEqual([
			[2, 'network'],
			[1, 'straight_line']
		]);
		expect(ranked[1].meters).toBe(Math.round(haversineMeters(HOME, at(2))));
		expect(ranked[1].seconds).toBe(Math.round(haversineMeters(HOME, at(2)) / 1.3));
	});

	it('leaves out a responder whose last position is older than the staleness limit', () => {
		const old = new Date(NOW.getTime() - (POSITION_STALE_AFTER_S + 1) * 1000).toISOString();
		const recent = new Date(NOW.getTime() - (POSITION_STALE_AFTER_S - 60) * 1000).toISOString();
		const ranked = rankResponders(
			walkTo,
			{ communityCode: null },
			[responder(1, at(1), { positionAt: old }), responder(2, at(1), { positionAt: recent })],
			{ limit: 5, now: NOW }
		);
		expect(ranked.map((p) => p.responder.id)).toEqual([2]);
	});

	it('ranks a responder without the skill needed 300 s further away, and lists what they lack', () => {
		// Nodes 0–1 are 200 m apart: 154 s at 1.3 m/s, well within the penalty.
		const nearWithout = responder(1, at(1));
		const atHomeWithout = responder(2, HOME);
		const nearWith = responder(3, at(1), { skills: ['first_aid', 'escort'] });
		const ranked = rankResponders(
			walkTo,
			{ communityCode: null, skillsNeeded: ['first_aid'] },
			[nearWithout, atHomeWithout, nearWith],
			{ limit: 5, now: NOW }
		);
		expect(ranked.map((p) => [p.responder.id, p.missingSkills])).toEqual([
			[3, []],
			[2, ['first_aid']],
			[1, ['first_aid']]
		]);
		// The walking time shown is still the walk itself.
		expect(ranked[0].seconds).toBe(ranked[2].seconds);
		expect(ranked[0].seconds).toBeLessThan(MISSING_SKILL_PENALTY_S);
	});

	it('counts each missing skill, and keeps the walk alone when nothing is needed', () => {
		const lacksBoth = responder(1, HOME);
		const lacksOne = responder(2, at(1), { skills: ['nursing'] });
		const needsBoth = rankResponders(
			walkTo,
			{ communityCode: null, skillsNeeded: ['first_aid', 'nursing'] },
			[lacksBoth, lacksOne],
			{ limit: 5, now: NOW }
		);
		expect(needsBoth.map((p) => [p.responder.id, p.missingSkills])).toEqual([
			[2, ['first_aid']],
			[1, ['first_aid', 'nursing']]
		]);
		const needsNothing = rankResponders(walkTo, { communityCode: null }, [lacksOne, lacksBoth], {
			limit: 5,
			now: NOW
		});
		expect(needsNothing.map((p) => [p.responder.id, p.missingSkills])).toEqual([
			[1, []],
			[2, []]
		]);
	});

	it('asks first aid for a person down, nursing for their vitals and an escort for one who wandered off', () => {
		expect(skillsNeeded(['sos'])).toEqual(['first_aid']);
		expect(skillsNeeded(['fall', 'inactivity', 'abnormal_vitals'])).toEqual(['first_aid', 'nursing']);
		expect(skillsNeeded(['geofence_exit'])).toEqual(['escort']);
		expect(skillsNeeded(['smoke', 'low_battery', 'lost_contact'])).toEqual([]);
		expect(Object.keys(SKILLS_NEEDED).sort()).toEqual([
			'abnormal_vitals',
			'fall',
			'geofence_exit',
			'inactivity',
			'sos'
		]);
	});
});
