/**
 * Pushes across processes: with REDIS_URL every broadcast a process makes (an ingest worker's new
 * incident, a timer's escalation, a console's command on one web node) goes through the socket.io
 * Redis adapter to the consoles on every web node, each console getting it once from the node it is
 * attached to. Without REDIS_URL the in-memory adapter keeps pushes inside the process: one node.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { StartupError, redactUrl } from '../errors';
import type { Logger } from '../log/logger';
import type { DomainEvents } from '../events';
import type { RealtimeServer } from './socket-server';
import { forwardDomainEvents } from './push-forwarding';

export interface PushCluster {
	/** The adapter constructor for `new Server(…, { adapter })`. */
	adapter: ReturnType<typeof createAdapter>;
	/** Both Redis connections are up: pushes reach the other nodes. */
	connected(): boolean;
	close(): Promise<void>;
}

/** Reconnects after 0.2 s, 0.4 s, … at most every 2 s: pushes resume as soon as Redis is back. */
const reconnectDelay = (retries: number) => Math.min((retries + 1) * 200, 2000);

/**
 * Connects the adapter's publishing and subscribing clients (two: a subscribed Redis connection
 * can do nothing else). Redis unreachable at startup is a StartupError naming the URL; a later
 * outage is logged once and the clients reconnect by themselves (pushes made meanwhile are lost,
 * which is why consoles catch up from the database when they reconnect).
 */
export async function connectPushCluster(options: {
	url: string;
	keyPrefix: string;
	timeoutMs: number;
	log: Logger;
}): Promise<PushCluster> {
	const { url, keyPrefix, timeoutMs, log } = options;
	const pub = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: reconnectDelay } });
	const sub = pub.duplicate();
	let down = false;
	for (const client of [pub, sub]) {
		client.on('error', (error: Error) => {
			if (down) return;
			down = true;
			log.warn({ err: error }, 'Redis unreachable: pushes to other nodes wait for it');
		});
		client.on('ready', () => {
			if (down) log.info('Redis reachable again: pushes reach every node');
			down = false;
		});
	}
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			Promise.all([pub.connect(), sub.connect()]),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
			})
		]);
	} catch (error) {
		pub.destroy();
		sub.destroy();
		throw new StartupError(
			'REDIS_UNREACHABLE',
			`Cannot connect to Redis at ${redactUrl(url)} (${(error as Error).message}); set REDIS_URL to a reachable Redis or unset it for one node`
		);
	} finally {
		clearTimeout(timer);
	}
	return {
		adapter: createAdapter(pub, sub, { key: `${keyPrefix}:socket.io` }),
		connected: () => pub.isReady && sub.isReady,
		async close() {
			await Promise.allSettled([pub.close(), sub.close()]);
		}
	};
}

/**
 * For a process without the web role (ingest, timers): a socket.io server with no HTTP port and
 * no sockets of its own, whose broadcasts the adapter carries to the web nodes.
 */
export function startPushRelay(cluster: PushCluster, events: DomainEvents): { close(): Promise<void> } {
	const io: RealtimeServer = new Server({ adapter: cluster.adapter });
	const stopForwarding = forwardDomainEvents(io, events);
	return {
		async close() {
			stopForwarding();
			await io.of('/').adapter.close();
		}
	};
}
