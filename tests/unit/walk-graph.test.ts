import { describe, expect, it } from 'vitest';
import { rankResponders } from '../../src/lib/server/dispatch/proposals';
import { isOnShift } from '../../src/lib/server/dispatch/responders';
import {
	buildWalkGraph,
	haversineMeters,
	nearestNode,
	walkingSecondsFrom,
	walkingTimesFrom
} from '../../src/lib/routing/walk-graph';
import { responderSummary } from '../support/responder-summary';

/*
 * A river runs north–south between x = 0 and x = 1 (about 100 m apart); the only bridge is 500 m to
 * the north. Node ids:  3 ─── 4   (y = 0.0045, the bridge)
 *                       │     │
 *                       0     1 ── 2
 */
const D = 0.001; // ≈ 100 m of longitude here
const nodes = [
	{ lon: 118.1, lat: 24.45 },
	{ lon: 118.1 + D, lat: 24.45 },
	{ lon: 118.1 + 2 * D, lat: 24.45 },
	{ lon: 118.1, lat: 24.4545 },
	{ lon: 118.1 + D, lat: 24.4545 }
];
const len = (a: number, b: number) =>
	haversineMeters([nodes[a].lon, nodes[a].lat], [nodes[b].lon, nodes[b].lat]);
const edges = [
	{ from: 0, to: 3, lengthM: len(0, 3) },
	{ from: 3, to: 4, lengthM: len(3, 4) },
	{ from: 4, to: 1, lengthM: len(4, 1) },
	{ from: 1, to: 2, lengthM: len(1, 2) }
];

const responder = responderSummary;

describe('walking on the street network', () => {
	const graph = buildWalkGraph(nodes, edges);

	it('walks round by the bridge instead of swimming across', () => {
		const { seconds, meters } = walkingSecondsFrom(graph, 0, { speedMps: 1, limitSeconds: 10_000 });
		expect(meters[1]).toBeCloseTo(len(0, 3) + len(3, 4) + len(4, 1), 3);
		expect(seconds[1]).toBeGreaterThan(1000);
		expect(seconds[2]).toBeCloseTo(meters[2], 6);
	});

	it('stops at the time limit', () => {
		const { seconds } = walkingSecondsFrom(graph, 0, { speedMps: 1, limitSeconds: 600 });
		expect(seconds[3]).toBeLessThan(600);
		expect(seconds[1]).toBe(Infinity);
	});

	it('gives a ferry its fixed crossing time whatever the pace', () => {
		const ferry = buildWalkGraph(nodes.slice(0, 2), [{ from: 0, to: 1, lengthM: 100, seconds: 900 }]);
		expect(walkingSecondsFrom(ferry, 1, { speedMps: 5, limitSeconds: 10_000 }).seconds[0]).toBe(900);
	});

	it('snaps a point to the nearest node and refuses one too far away', () => {
		expect(nearestNode(graph, [118.1 + 2.1 * D, 24.4501])?.node).toBe(2);
		expect(nearestNode(graph, [118.3, 24.6], 2000)).toBeNull();
	});

	it('ranks the responder across the river behind the one further along the same bank', () => {
		const walkTo = walkingTimesFrom(graph, [nodes[0].lon, nodes[0].lat], {
			speedMps: 1.3,
			limitSeconds: 7200
		});
		const across = responder(1, [nodes[1].lon, nodes[1].lat]);
		const upstream = responder(2, [nodes[3].lon, nodes[3].lat]);
		const busy = responder(3, [nodes[0].lon, nodes[0].lat], { status: 'busy' });
		const offShift = responder(4, [nodes[0].lon, nodes[0].lat], { onShift: false });
		const ranked = rankResponders(walkTo, { communityCode: null }, [across, upstream, busy, offShift], {
			limit: 5
		});
		expect(ranked.map((p) => p.responder.id)).toEqual([2, 1]);
		expect(ranked.every((p) => p.method === 'network')).toBe(true);
		expect(
			rankResponders(walkTo, { communityCode: null }, [across, upstream], { limit: 5, exclude: new Set([2]) })
		).toHaveLength(1);
	});

	it('falls back to a labelled straight line when there is no network', () => {
		const walkTo = walkingTimesFrom(null, [nodes[0].lon, nodes[0].lat], { speedMps: 1, limitSeconds: 7200 });
		const walk = walkTo([nodes[1].lon, nodes[1].lat]);
		expect(walk.method).toBe('straight_line');
		expect(walk.meters).toBeCloseTo(len(0, 1), 6);
	});
});

describe('shifts in Asia/Shanghai time', () => {
	it('knows a night shift runs past midnight', () => {
		expect(isOnShift('22:00', '06:00', new Date('2026-11-29T15:00:00Z'))).toBe(true); // 23:00
		expect(isOnShift('22:00', '06:00', new Date('2026-11-29T04:00:00Z'))).toBe(false); // 12:00
		expect(isOnShift('08:00', '17:00', new Date('2026-11-29T01:30:00Z'))).toBe(true); // 09:30
		expect(isOnShift('00:00', '24:00', new Date('2026-11-29T23:59:00Z'))).toBe(true);
	});
});
