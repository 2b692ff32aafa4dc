import { describe, expect, it } from 'vitest';
import { pulseGroups } from '../../src/lib/map/dispatch-layers';
import { CLUSTER_MAX_ZOOM, clusterIncidents, mercatorPixel } from '../../src/lib/map/incident-clusters';
import type { IncidentSummary } from '../../src/lib/realtime/events';
import { incidentSummary } from '../support/incident-summary';

function incident(id: number, location: [number, number], overrides: Partial<IncidentSummary> = {}) {
	return incidentSummary({ id, householdId: id, location, severity: 'low', ...overrides });
}

// Two homes about 40 m apart in Zhonghua street, and one on Gulangyu about 3 km away.
const zhonghuaA: [number, number] = [118.0832, 24.4556];
const zhonghuaB: [number, number] = [118.0836, 24.4558];
const gulangyu: [number, number] = [118.0677, 24.4475];

describe('mercatorPixel', () => {
	it('puts lon/lat 0/0 in the middle of the 512 px world at zoom 0', () => {
		expect(mercatorPixel([0, 0], 0)).toEqual([256, 256]);
		const [x, y] = mercatorPixel([180, 0], 1);
		expect(x).toBeCloseTo(1024);
		expect(y).toBeCloseTo(512);
	});
});

describe('clusterIncidents', () => {
	it('groups neighbouring incidents zoomed out, coloured by the worst and counting the unacknowledged', () => {
		const { singles, clusters } = clusterIncidents(
			[
				incident(1, zhonghuaA, { severity: 'medium', state: 'acknowledged' }),
				incident(2, zhonghuaB, { severity: 'critical', state: 'new' }),
				incident(3, gulangyu, { severity: 'high' })
			],
			12
		);
		expect(singles.map((i) => i.id)).toEqual([3]);
		expect(clusters).toHaveLength(1);
		expect(clusters[0]).toMatchObject({
			count: 2,
			unacknowledged: 1,
			severity: 'critical',
			waitingSeverity: 'critical',
			incidentIds: [1, 2]
		});
		expect(clusters[0].position[0]).toBeCloseTo(118.0834, 4);
		expect(clusters[0].position[1]).toBeCloseTo(24.4557, 4);
	});

	it('draws every incident on its own from the cluster zoom on', () => {
		const result = clusterIncidents([incident(1, zhonghuaA), incident(2, zhonghuaB)], CLUSTER_MAX_ZOOM);
		expect(result.clusters).toEqual([]);
		expect(result.singles.map((i) => i.id)).toEqual([1, 2]);
	});

	it('keeps the selected incident out of any cluster', () => {
		const result = clusterIncidents(
			[incident(1, zhonghuaA), incident(2, zhonghuaB), incident(3, zhonghuaB)],
			12,
			[2]
		);
		expect(result.singles.map((i) => i.id)).toEqual([2]);
		expect(result.clusters[0].incidentIds).toEqual([1, 3]);
	});

	it('groups the same way for any fractional zoom within one level', () => {
		const incidents = [incident(1, zhonghuaA), incident(2, zhonghuaB), incident(3, gulangyu)];
		expect(clusterIncidents(incidents, 12.9)).toEqual(clusterIncidents(incidents, 12));
	});
});

describe('pulseGroups', () => {
	it('pulses a cluster with the worst severity among its unacknowledged incidents', () => {
		const { clusters } = clusterIncidents(
			[
				incident(1, zhonghuaA, { severity: 'critical', state: 'acknowledged' }),
				incident(2, zhonghuaB, { severity: 'high', state: 'new' }),
				incident(3, zhonghuaB, { severity: 'low', state: 'escalated' })
			],
			12
		);
		expect(clusters[0]).toMatchObject({ severity: 'critical', waitingSeverity: 'high', unacknowledged: 2 });
		const groups = pulseGroups([], clusters);
		expect(groups.high).toEqual([{ position: clusters[0].position, radius: expect.any(Number) }]);
		expect([...groups.critical, ...groups.medium, ...groups.low]).toEqual([]);
	});

	it('does not pulse a cluster whose incidents are all acknowledged', () => {
		const { clusters } = clusterIncidents(
			[
				incident(1, zhonghuaA, { severity: 'critical', state: 'acknowledged' }),
				incident(2, zhonghuaB, { severity: 'high', state: 'assigned' })
			],
			12
		);
		expect(clusters[0]).toMatchObject({ unacknowledged: 0, waitingSeverity: null });
		expect(Object.values(pulseGroups([], clusters)).flat()).toEqual([]);
	});

	it('pulses unacknowledged incidents drawn on their own by their own severity, larger around a cluster', () => {
		const { singles, clusters } = clusterIncidents(
			[
				incident(1, zhonghuaA, { severity: 'critical' }),
				incident(2, zhonghuaB, { severity: 'critical' }),
				incident(3, gulangyu, { severity: 'medium' })
			],
			12
		);
		const groups = pulseGroups(singles, clusters);
		expect(groups.medium).toEqual([{ position: gulangyu, radius: 10 }]);
		expect(groups.critical).toHaveLength(1);
		expect(groups.critical[0].radius).toBeGreaterThan(14);
	});
});
