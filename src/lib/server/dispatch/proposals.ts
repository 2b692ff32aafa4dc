/**
 * Who to send and where help is: pure ranking of responders and facilities by walking time from a
 * home, given a function that walks there (routing/walk-graph.ts).
 */
import type { NearbyFacility, ResponderProposal, ResponderSummary } from '../../realtime/events';
import type { WalkingTime } from '../../routing/walk-graph';
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
 * Available, on-shift responders with a known position, nearest first by walking time (ties go to
 * the one whose territory it is); those in `exclude` (already asked for this incident) are left out.
 */
export function rankResponders(
	walkTo: (point: [number, number]) => WalkingTime,
	home: { communityCode: string | null },
	responders: ResponderSummary[],
	options: { limit: number; exclude?: ReadonlySet<number> }
): ResponderProposal[] {
	return responders
		.filter((r) => r.status === 'available' && r.onShift && r.location && !options.exclude?.has(r.id))
		.map((responder) => {
			const walk = walkTo(responder.location!);
			return {
				responder,
				seconds: Math.round(walk.seconds),
				meters: Math.round(walk.meters),
				method: walk.method,
				inTerritory: inTerritory(responder, home.communityCode)
			};
		})
		.filter((p) => Number.isFinite(p.seconds))
		.sort((a, b) => a.seconds - b.seconds || Number(b.inTerritory) - Number(a.inTerritory))
		.slice(0, options.limit);
}

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
