/**
 * Hands a dead ingest worker's share to the living. Mosquitto 2.0 neither passes a dead member's
 * unacknowledged messages to the rest of a shared subscription's group nor stops routing its share
 * into its kept sessions (mosquitto#2662), so a named worker that never comes back would keep them.
 *
 * Every named worker beats in `ingest_workers` and looks for peers silent past INGEST_PEER_SILENCE_S.
 * The one that claims a silent peer opens the peer's client ids on their kept sessions, with the
 * worker's own message path (stored, then acknowledged), drops their subscription so that only what
 * was queued still comes, waits until that is stored, and ends the sessions (session expiry 0) so
 * the broker routes nothing more there. If the peer comes back meanwhile, the broker gives it its
 * sessions (closing the drainer's connections): the drain stops, and what was not acknowledged
 * stays in the sessions for the peer. Messages stored by both are stored once (idempotent writes).
 */
import type { MqttClient } from 'mqtt';
import type { Sql } from '../db/client';
import type { Logger } from '../log/logger';
import { SHARED_UPLINK_FILTER, type IngestWorker, type MessageHandler } from './ingest-worker';
import { beat, claimSilentPeer, forgetWorker, holdsClaim, releasePeer } from './ingest-workers';
import { ingestClientIds, isDrained, type PeerWorker } from './silent-peers';

/** How long a drained session must send nothing, with all it sent stored, before it is ended. */
const QUIET_MS = 2000;
const CHECK_MS = 200;
/**
 * A drain whose messages are still not acknowledged this long after the last one came (a batch that
 * could not be stored) leaves the sessions to the next drain, which has them delivered again.
 */
const STUCK_MS = 60_000;
/** Heartbeats per silence limit: a worker is judged silent only after missing several. */
const BEATS_PER_SILENCE = 3;
/** How long a worker that is back waits, once it dropped the claim on it, before opening its sessions. */
const TAKE_BACK_WAIT_MS = 1000;

export interface PeerDrainStats {
	/** Silent peers whose sessions this worker emptied and ended. */
	peers: number;
	/** Messages it received from those sessions. */
	messages: number;
}

export interface PeerDrain {
	stats: PeerDrainStats;
	stop(): Promise<void>;
}

/**
 * A named worker's first heartbeat, before its ingest connections open. It drops any claim on the
 * worker; a drainer checks its claim before opening each session, so after a moment it opens no
 * more, and it lets go of those it holds when the broker hands them back to the worker.
 */
export async function rejoin(sql: Sql, log: Logger, nodeName: string, connections: number): Promise<void> {
	const drainer = await beat(sql, nodeName, connections);
	if (drainer === null) return;
	log.info({ drainer }, `${drainer} was draining this worker's sessions: taking them back`);
	await new Promise((resolve) => setTimeout(resolve, TAKE_BACK_WAIT_MS));
}

/**
 * Beats for `nodeName` and drains silent peers, one at a time, from now on. The process's first
 * heartbeat (`rejoin`) comes before its ingest connections open, so that a drainer holding its
 * sessions lets go of them for good.
 */
export function startPeerDrain(options: {
	sql: Sql;
	log: Logger;
	nodeName: string;
	connections: number;
	silenceS: number;
	worker: IngestWorker;
	/** Opens one of a peer's client ids on its kept session (clean start false), never reconnecting. */
	connect: (clientId: string, handleMessage: MessageHandler) => Promise<MqttClient>;
}): PeerDrain {
	const { sql, log, nodeName, connections, silenceS, worker } = options;
	const stats: PeerDrainStats = { peers: 0, messages: 0 };
	/** Since when this worker's heartbeats have gone through without a failure. */
	let beatingSince: number | null = null;
	let stopping = false;
	let draining: Promise<void> | null = null;

	/** Empties `peer`'s sessions; stops early, leaving them as they are, if the peer is back. */
	const drain = async (peer: PeerWorker) => {
		const startedAt = Date.now();
		const context = { peer: peer.nodeName, connections: peer.connections };
		log.info(
			{ ...context, silentS: Math.round(peer.silentS) },
			`draining silent ingest worker ${peer.nodeName}`
		);
		let received = 0;
		let lastMessageAt = startedAt;
		let unsubscribed = 0;
		/** Set when the sessions must be left as they are: the peer is back, or one could not be held. */
		let leave = false;
		let ending = false;
		const handleMessage: MessageHandler = function (message, callback) {
			received++;
			stats.messages++;
			lastMessageAt = Date.now();
			// On the drained connection (`this`), which then acknowledges what is stored.
			worker.handleMessage.call(this, message, callback);
		};
		const clients: MqttClient[] = [];
		for (const clientId of ingestClientIds(peer.nodeName, peer.connections)) {
			// One at a time, each while the claim holds: a peer that is back drops the claim before it
			// opens its sessions, and must not have one taken from it again.
			if (leave || stopping || !(await holdsClaim(sql, nodeName, peer.nodeName))) {
				leave = true;
				break;
			}
			const client = await options.connect(clientId, handleMessage).catch((error: unknown) => {
				log.warn({ ...context, err: error }, `could not open the session ${clientId}`);
				return undefined;
			});
			if (!client) {
				leave = true;
				break;
			}
			clients.push(client);
			// Closed by the broker: the peer took its session back, or the broker went away.
			client.on('close', () => {
				if (!ending) leave = true;
			});
			client.on('error', (error) => log.debug({ ...context, err: error }, 'drained connection error'));
			// Dropped first, so the broker routes nothing new here and only what was queued still comes.
			client.unsubscribe(SHARED_UPLINK_FILTER, (error) => {
				if (error) leave = true;
				else unsubscribed++;
			});
		}
		while (!leave && !stopping) {
			const now = Date.now();
			const pending = clients.reduce((sum, client) => sum + worker.unacknowledged(client), 0);
			if (unsubscribed === clients.length && isDrained({ pending, lastMessageAt, now, quietMs: QUIET_MS }))
				break;
			if (now - lastMessageAt > STUCK_MS) {
				log.warn({ ...context, pending }, `messages of ${peer.nodeName} could not be stored`);
				leave = true;
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, CHECK_MS));
		}
		if (leave || stopping) {
			// Forced: no DISCONNECT, so the sessions stay as they are for their owner or the next drain.
			for (const client of clients) client.end(true);
			await releasePeer(sql, nodeName, peer.nodeName);
			log.info(
				{ ...context, messages: received },
				stopping
					? `drain of ${peer.nodeName} stopped: this worker is stopping`
					: `drain of ${peer.nodeName} stopped: the worker is back, or its sessions could not be held; claim released`
			);
			return;
		}
		ending = true;
		// Session expiry 0 ends each session: the broker stops routing the peer's share into it.
		await Promise.all(
			clients
				.filter((client) => client.connected)
				.map((client) => client.endAsync(false, { properties: { sessionExpiryInterval: 0 } }))
		);
		await forgetWorker(sql, peer.nodeName, nodeName);
		stats.peers++;
		log.info(
			{ ...context, messages: received, ms: Date.now() - startedAt },
			`drained silent ingest worker ${peer.nodeName}: ${received} messages stored, its sessions ended`
		);
	};

	const tick = async () => {
		try {
			const drainer = await beat(sql, nodeName, connections);
			// Taken for dead while alive (its beats did not reach the database): the broker hands the
			// sessions back as this worker's connections reconnect, and the drainer lets go.
			if (drainer !== null)
				log.warn({ drainer }, `${drainer} took this worker for silent and began draining it`);
			beatingSince ??= Date.now();
		} catch (error) {
			if (beatingSince !== null)
				log.warn({ code: (error as { code?: string }).code }, 'ingest heartbeat failed');
			beatingSince = null;
			return;
		}
		if (draining || stopping) return;
		const peer = await claimSilentPeer(sql, {
			self: nodeName,
			silenceS,
			beatingForS: (Date.now() - beatingSince) / 1000
		}).catch((error: unknown) => {
			log.warn({ code: (error as { code?: string }).code }, 'could not look for silent ingest workers');
			return undefined;
		});
		if (!peer) return;
		draining = drain(peer)
			.catch((error: unknown) =>
				log.error({ err: error, peer: peer.nodeName }, `drain of ${peer.nodeName} failed`)
			)
			.finally(() => (draining = null));
	};

	let timer: NodeJS.Timeout;
	let ticking: Promise<void> = Promise.resolve();
	const schedule = () => {
		timer = setTimeout(
			() => {
				ticking = tick().finally(() => {
					if (!stopping) schedule();
				});
			},
			(silenceS * 1000) / BEATS_PER_SILENCE
		);
	};
	schedule();
	log.info({ silenceS }, `ingest: beating as ${nodeName}, draining workers silent for ${silenceS} s`);

	return {
		stats,
		async stop() {
			stopping = true;
			clearTimeout(timer);
			await ticking;
			await draining;
		}
	};
}
