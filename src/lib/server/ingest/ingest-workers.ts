/**
 * The `ingest_workers` table (migration 0020): each named ingest worker's heartbeat, and the claim a
 * survivor takes before draining a silent one (peer-drain.ts).
 */
import type { Sql } from '../db/client';
import { silentPeerToDrain, type PeerWorker } from './silent-peers';

/**
 * Records that `nodeName` is alive with `connections` connections, and drops any claim on it: a
 * worker that is back owns its sessions again. Returns the worker that had claimed it, if any.
 */
export async function beat(sql: Sql, nodeName: string, connections: number): Promise<string | null> {
	return sql.begin(async (tx) => {
		const [claimed]: [{ drainedBy: string | null }?] = await tx`
			select drained_by from ingest_workers where node_name = ${nodeName} for update`;
		await tx`
			insert into ingest_workers (node_name, connections, heartbeat_at)
			values (${nodeName}, ${connections}, now())
			on conflict (node_name) do update
			set connections = excluded.connections, heartbeat_at = now(), drained_by = null, drain_claimed_at = null`;
		return claimed?.drainedBy ?? null;
	});
}

/** Whether `self` still holds its claim on `peer` (the peer drops it when it is back). */
export async function holdsClaim(sql: Sql, self: string, peer: string): Promise<boolean> {
	const [row] = await sql`select 1 from ingest_workers where node_name = ${peer} and drained_by = ${self}`;
	return row !== undefined;
}

/**
 * Claims the peer `self` should drain, if any (silent-peers.ts decides). The rows are locked with
 * SKIP LOCKED in one transaction, so two survivors looking at once never claim the same peer.
 */
export async function claimSilentPeer(
	sql: Sql,
	options: { self: string; silenceS: number; beatingForS: number }
): Promise<PeerWorker | undefined> {
	return sql.begin(async (tx) => {
		const workers = await tx<PeerWorker[]>`
			select w.node_name, w.connections,
				extract(epoch from now() - w.heartbeat_at)::float8 as silent_s,
				w.drained_by,
				extract(epoch from now() - claimer.heartbeat_at)::float8 as claimer_silent_s
			from ingest_workers w
			left join ingest_workers claimer on claimer.node_name = w.drained_by
			where w.node_name <> ${options.self}
			for update of w skip locked`;
		const peer = silentPeerToDrain(workers, options);
		if (peer)
			await tx`
				update ingest_workers set drained_by = ${options.self}, drain_claimed_at = now()
				where node_name = ${peer.nodeName}`;
		return peer;
	});
}

/** A drain that stopped half-way (the peer came back, the broker went away): others may claim it. */
export async function releasePeer(sql: Sql, self: string, peer: string): Promise<void> {
	await sql`
		update ingest_workers set drained_by = null, drain_claimed_at = null
		where node_name = ${peer} and drained_by = ${self}`;
}

/**
 * Forgets a worker whose sessions are ended: a drained peer (only while the claim is still ours, so
 * a peer that came back meanwhile keeps its row), or a worker stopping on purpose.
 */
export async function forgetWorker(sql: Sql, nodeName: string, drainedBy?: string): Promise<void> {
	await sql`
		delete from ingest_workers
		where node_name = ${nodeName} ${drainedBy === undefined ? sql`` : sql`and drained_by = ${drainedBy}`}`;
}
