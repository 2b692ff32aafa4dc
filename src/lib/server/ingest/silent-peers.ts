/**
 * Which ingest worker a survivor should drain, and when a drain is over: pure decisions for
 * peer-drain.ts, on what the database said (ages measured by its clock, so workers on machines
 * whose clocks disagree still agree on who is silent).
 */

/** A named ingest worker as the survivor sees it in `ingest_workers`. */
export interface PeerWorker {
	nodeName: string;
	connections: number;
	/** Seconds since its last heartbeat. */
	silentS: number;
	/** The worker draining it, if one claimed it. */
	drainedBy: string | null;
	/** Seconds since the claimer's own last heartbeat; null when the claimer has no row any more. */
	claimerSilentS: number | null;
}

/**
 * The peer to drain: silent past the limit and not being drained by a live worker (a claim by a
 * worker gone silent too, or a leftover claim of our own, is taken again); the longest silent first.
 * A worker judges others only once its own heartbeats have gone through for a whole silence
 * limit: one that has just started, or whose database was away, has not seen the others beat.
 * @example silentPeerToDrain([{ nodeName: 'ingest-2', connections: 4, silentS: 40, drainedBy: null, claimerSilentS: null }], { self: 'ingest-1', silenceS: 15, beatingForS: 60 })?.nodeName === 'ingest-2'
 */
export function silentPeerToDrain(
	workers: PeerWorker[],
	options: { self: string; silenceS: number; beatingForS: number }
): PeerWorker | undefined {
	const { self, silenceS, beatingForS } = options;
	if (beatingForS < silenceS) return undefined;
	const claimable = (w: PeerWorker) =>
		w.drainedBy === null || w.drainedBy === self || w.claimerSilentS === null || w.claimerSilentS > silenceS;
	return workers
		.filter((w) => w.nodeName !== self && w.silentS > silenceS && claimable(w))
		.sort((a, b) => b.silentS - a.silentS)[0];
}

/** The client ids of a worker's ingest connections, as services.ts opens them. */
export function ingestClientIds(nodeName: string, connections: number): string[] {
	return Array.from({ length: connections }, (_, i) => `carecircle-${nodeName}-ingest-${i}`);
}

/**
 * A drained session is empty once everything it delivered is stored and acknowledged (`pending`
 * counts the rest) and nothing more came for `quietMs`: its subscription is dropped first, so only
 * what was already queued can still come.
 */
export function isDrained(state: { pending: number; lastMessageAt: number; now: number; quietMs: number }) {
	return state.pending === 0 && state.now - state.lastMessageAt >= state.quietMs;
}
