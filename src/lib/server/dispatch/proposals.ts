/**
 * Who to send and where help is: pure ranking of responders and facilities by walking time from a
 * home, given a function that walks there (routing/walk-graph.ts).
 */
import type { NearbyFacility, ResponderProposal, ResponderSummary } from '../../realtime/events';
import { haversineMeters, type WalkingTime } from '../../routing/walk-graph';
import { CIRCLE_SECONDS } from '../../routing/walking-area';

/** Whether a responder's territory (community, or street for street centre staff) holds the home. */
export function inTerritory(responder: ResponderSummary, communityCode: string | null): boolean {
	if (!communityCode) return false;
	return (
		responder.communityCode === communityCode ||
		(responder.streetCode !== null && communityCode.startsWith(responder.streetCode))
	);
}

/**
 * A position older than this is not where the responder is: their phone reports every 5 minutes
 * while they wait (simulators/responders/simulated-responder.ts models it), so this is six missed
 * reports in a row.
 */
export const POSITION_STALE_AFTER_S = 30 * 60;

/**
 * How much further away, in walking seconds, a responder ranks for each skill the incident needs
 * and they lack: a first-aider five minutes further is still the better one to send.
 */
export const MISSING_SKILL_PENALTY_S = 300;

/**
 * Walking times where a point the network cannot reach (Infinity: a responder on an island of
 * paths, or beyond the search limit) gets the straight-line time at the same pace instead, marked
 * `straight_line` so that it is ranked after the walked ones and labelled as an estimate.
 */
export function orStraightLine(
	walkTo: (point: [number, number]) => WalkingTime,
	origin: [number, number],
	speedMps: number
): (point: [number, number]) => WalkingTime {
	return (point) => {
		const walk = walkTo(point);
		if (Number.isFinite(walk.seconds)) return walk;
		const meters = haversineMeters(origin, point);
		return { seconds: meters / speedMps, meters, method: 'straight_line' };
	};
}

/**
 * Available, on-shift responders with a position not known to be stale (POSITION_STALE_AFTER_S;
 * the registry stamps every position it stores): first those
 * walked on the network, nearest first, then the straight-line estimates, nearest first (ties go to
 * the one whose territory it is); those in `exclude` (already asked for this incident) are left out.
 * Each skill the incident needs (`home.skillsNeeded`, see alerts/alert-kinds.ts) that a responder
 * lacks counts as MISSING_SKILL_PENALTY_S further away, and is listed in `missingSkills`.
 */
export function rankResponders(
	walkTo: (point: [number, number]) => WalkingTime,
	home: { communityCode: string | null; skillsNeeded?: readonly string[] },
	responders: ResponderSummary[],
	options: { limit: number; exclude?: ReadonlySet<number>; now?: Date }
): ResponderProposal[] {
	const freshSince = (options.now ?? new Date()).getTime() - POSITION_STALE_AFTER_S * 1000;
	return responders
		.filter(
			(r) =>
				r.status === 'available' &&
				r.onShift &&
				r.location &&
				(r.positionAt === null || Date.parse(r.positionAt) >= freshSince) &&
				!options.exclude?.has(r.id)
		)
		.map((responder) => {
			const walk = walkTo(responder.location!);
			return {
				responder,
				seconds: Math.round(walk.seconds),
				meters: Math.round(walk.meters),
				method: walk.method,
				inTerritory: inTerritory(responder, home.communityCode),
				missingSkills: (home.skillsNeeded ?? []).filter((skill) => !responder.skills.includes(skill))
			};
		})
		.filter((p) => Number.isFinite(p.seconds))
		.sort(
			(a, b) =>
				Number(a.method === 'straight_line') - Number(b.method === 'straight_line') ||
				rankingSeconds(a) - rankingSeconds(b) ||
				Number(b.inTerritory) - Number(a.inTerritory)
		)
		.slice(0, options.limit);
}

const rankingSeconds = (p: Pick<ResponderProposal, 'seconds' | 'missingSkills'>) =>
	p.seconds + p.missingSkills.length * MISSING_SKILL_PENALTY_S;

/** Open facilities within a 15-minute walk (on the network; straight-line only where there is none). */
export function facilitiesWithinCircle(
	walkTo: (point: [number, number]) => WalkingTime,
	facilities: { id: string; name: string; kind: string; location: [number, number] }[]
): NearbyFacility[] {
	return facilities
		.map((f) => {
			const walk = walkTo(f.location);
			return { id: f.id, name: f.name, kind: f.kind, seconds: Math.round(walk.seconds), method: walk.method };
		})
		.filter((f) => f.seconds <= CIRCLE_SECONDS)
		.sort((a, b) => a.seconds - b.seconds);
}
