/**
 * Wires the process's dependencies once: configuration → database (+ migrations, seed) → MQTT.
 * Used by the production entry, the dev server plugin and the integration tests alike.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { deviceCredentialHash } from './devices/registry';
import { storeDeadLetter } from './ingest/store-uplink';
import type { MqttClient } from 'mqtt';
import type { Config } from './config';
import { openDatabase, type Database } from './db/connect';
import { applyMigrations } from './db/migrate';
import type { Logger } from './log/logger';
import { connectMqtt, startEmbeddedBroker, type EmbeddedBroker } from './mqtt/broker';
import { seedDistrict } from './regions/seed';
import { seedGazetteer } from './gazetteer/seed';
import { seedPlan } from './plan-monitoring/seed';
import { startTimers } from './alerts/timers';
import { applySlaTargets } from './alerts/sla-targets';
import { DomainEvents } from './events';
import { redactUrl } from './errors';
import { connectPushCluster, startPushRelay, type PushCluster } from './realtime/push-cluster';
import { INGEST_SESSION_EXPIRY_S, startIngest, type IngestWorker } from './ingest/ingest-worker';
import { forgetWorker } from './ingest/ingest-workers';
import { rejoin, startPeerDrain, type PeerDrain } from './ingest/peer-drain';
import { seedDemoAccounts, type DemoLogin } from './auth/demo-accounts';

export type BrokerKind = 'mqtt' | 'embedded-aedes';

export interface Services {
	config: Config;
	log: Logger;
	nodeName: string;
	database: Database;
	broker: { kind: BrokerKind; url: string; client: MqttClient };
	events: DomainEvents;
	/** Present when this process runs the ingest role. */
	ingest?: IngestWorker;
	/** Present on a named ingest worker (NODE_NAME, MQTT 5): its heartbeat and drains of silent peers. */
	peerDrain?: PeerDrain;
	/** Present with REDIS_URL: the socket.io adapter that carries pushes between processes. */
	pushCluster?: PushCluster;
	/** Consoles connected to this node (set by the web role, read by /metrics). */
	socketConnections?: () => number;
	/** The demo's accounts and their passwords for this run (empty unless DEMO_ACCOUNTS). */
	demoLogins: DemoLogin[];
	close(): Promise<void>;
}

export async function startServices(config: Config, log: Logger): Promise<Services> {
	const closers: (() => Promise<void>)[] = [];
	const closeAll = async () => {
		for (const close of closers.reverse()) await close();
	};
	try {
		const database = await openDatabase(config);
		closers.push(() => database.close());
		log.info(
			{ database: database.kind, postgis: database.postgisVersion },
			`database: ${database.kind} (${database.displayUrl}), PostGIS ${database.postgisVersion}`
		);

		const applied = await applyMigrations(database.sql);
		log.info(
			{ applied },
			applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date'
		);
		await applySlaTargets(database.sql, config.sla);
		if (config.seedDistrictData) {
			const seeded = await seedDistrict(database.sql, config.districtCode);
			if (seeded.regions > 0)
				log.info(
					seeded,
					`seeded district ${config.districtCode}: ${seeded.regions} regions, ${seeded.facilities} facilities, ${seeded.populationCells} population cells, ${seeded.walkEdges} walkway edges`
				);
			// Separately from the regions, so a database seeded before the gazetteer existed gets its names.
			const names = await seedGazetteer(database.sql, config.districtCode);
			if (names > 0)
				log.info({ names }, `seeded gazetteer of ${config.districtCode}: ${names} approved names`);
			const plan = await seedPlan(database.sql, config.districtCode);
			if (plan.indicators > 0)
				log.info(
					plan,
					`seeded plan of ${config.districtCode}: ${plan.indicators} indicators, ${plan.projects} projects`
				);
		}

		const demoLogins = config.demoAccounts
			? await seedDemoAccounts(database.sql, config.demoAccounts.password)
			: [];
		// Demo only, on purpose: a newcomer needs these to log in; real accounts come from user:add.
		for (const login of demoLogins)
			log.info(
				`demo account: ${login.username} / ${login.password} (${login.role}${login.streetCodes.length ? `, streets ${login.streetCodes.join(',')}` : ''}; until the next start)`
			);

		let embedded: EmbeddedBroker | undefined;
		let login = { username: config.mqttUsername, password: config.mqttPassword };
		if (!config.mqttUrl) {
			// The embedded broker admits the platform with a login made for this run, devices with their own.
			const platform = { username: 'carecircle-platform', password: randomBytes(24).toString('base64url') };
			login = platform;
			embedded = await startEmbeddedBroker(config.mqttEmbeddedHost, config.mqttEmbeddedPort, {
				platform,
				credentialHashOf: (deviceId) => deviceCredentialHash(database.sql, deviceId),
				onRefusedPublish: (refusal) =>
					void storeDeadLetter(database.sql, refusal).catch((error) =>
						log.error({ err: error }, 'could not store a refused publish as a dead letter')
					)
			});
			closers.push(() => embedded!.close());
		}
		const brokerUrl = config.mqttUrl ?? embedded!.url;
		const nodeName = config.nodeName ?? `${hostname()}-${process.pid}`;
		const client = await connectMqtt(brokerUrl, {
			clientId: `carecircle-${nodeName}`,
			timeoutMs: config.mqttConnectTimeoutMs,
			...login
		});
		closers.push(() => client.endAsync());
		const brokerKind: BrokerKind = embedded ? 'embedded-aedes' : 'mqtt';
		// Operators see the broker go and come back in the log (/api/health shows only the present).
		client.on('offline', () => log.warn({ broker: brokerKind }, 'MQTT: lost the broker, reconnecting'));
		client.on('connect', () => log.info({ broker: brokerKind }, 'MQTT: connected to the broker again'));
		log.info(
			{ broker: brokerKind },
			embedded
				? `MQTT: embedded aedes broker listening on ${embedded.url}`
				: `MQTT: broker ${brokerUrl.replace(/\/\/[^@/]*@/, '//')}`
		);

		const events = new DomainEvents();
		let pushCluster: PushCluster | undefined;
		if (config.redisUrl) {
			pushCluster = await connectPushCluster({
				url: config.redisUrl,
				keyPrefix: config.redisKeyPrefix,
				// Redis is a startup dependency like the broker: the same patience.
				timeoutMs: config.mqttConnectTimeoutMs,
				log: log.child({ part: 'push-cluster' })
			});
			closers.push(() => pushCluster!.close());
			log.info(`pushes: socket.io Redis adapter on ${redactUrl(config.redisUrl)}`);
			if (!config.roles.includes('web')) {
				const relay = startPushRelay(pushCluster, events);
				closers.push(() => relay.close());
			}
		} else if (!config.roles.includes('web')) {
			log.warn('no REDIS_URL: what this process changes reaches consoles only when they reload');
		}
		let ingest: IngestWorker | undefined;
		let peerDrain: PeerDrain | undefined;
		if (config.roles.includes('ingest')) {
			// Without MQTT 5 shared subscriptions (aedes) extra connections would each get every message.
			const shared = client.options.protocolVersion === 5;
			// A named process keeps its sessions across a crash: Mosquitto 2.0 does not hand a dead
			// member's unacknowledged messages to the rest of the group, but it does deliver them when the
			// same client ids come back, or when another named worker drains them (see deploy/README.md).
			const named = shared && config.nodeName !== undefined;
			const sessionExpiryS = named ? INGEST_SESSION_EXPIRY_S : undefined;
			let clients: MqttClient[] = [];
			// Registered before the ingest starts, so connections opened by a start that then failed are
			// closed too. A stop that stored everything it was sent ends the sessions: no messages wait for
			// a process that is not coming back, and no other worker needs to drain it. One that left
			// messages unacknowledged (the database away for the whole stop) keeps them, and its row in
			// ingest_workers: a peer finds it silent and drains them (peer-drain.ts), or it takes them
			// back itself when it restarts under its name.
			closers.push(async () => {
				if (!ingest) {
					if (shared) await Promise.all(clients.map((c) => c.endAsync(true)));
					return;
				}
				const { left } = await ingest.stop({ endSessions: true });
				if (named && left === 0)
					await forgetWorker(database.sql, nodeName).catch((error: unknown) =>
						log.warn({ err: error }, 'could not remove this worker from ingest_workers')
					);
			});
			const ingestLog = log.child({ role: 'ingest' });
			// Alive again before taking its sessions back: a worker draining them lets go, and none claims them anew.
			if (named) await rejoin(database.sql, ingestLog, nodeName, config.ingestConnections);
			ingest = await startIngest({
				connect: async (handleMessage) => {
					clients = shared
						? await Promise.all(
								Array.from({ length: config.ingestConnections }, (_, i) =>
									connectMqtt(brokerUrl, {
										clientId: `carecircle-${nodeName}-ingest-${i}`,
										timeoutMs: config.mqttConnectTimeoutMs,
										sessionExpiryS,
										handleMessage,
										...login
									})
								)
							)
						: [client];
					return clients;
				},
				sql: database.sql,
				log: ingestLog,
				events,
				// Without shared subscriptions the ingest listens on the process's one connection.
				ownsConnections: shared
			});
			if (named) {
				peerDrain = startPeerDrain({
					sql: database.sql,
					log: ingestLog.child({ part: 'peer-drain' }),
					nodeName,
					connections: config.ingestConnections,
					silenceS: config.ingestPeerSilenceS,
					worker: ingest,
					// The peer's sessions, kept as long as its own (a drainer that dies leaves them for the next).
					connect: (clientId, handleMessage) =>
						connectMqtt(brokerUrl, {
							clientId,
							timeoutMs: config.mqttConnectTimeoutMs,
							sessionExpiryS,
							handleMessage,
							reconnect: false,
							...login
						})
				});
				closers.push(() => peerDrain!.stop());
			}
		}

		if (config.roles.includes('timers')) {
			const timers = startTimers({
				sql: database.sql,
				log: log.child({ role: 'timers' }),
				events,
				intervalMs: config.supervisionIntervalMs,
				offerAcceptS: config.offerAcceptS
			});
			closers.push(() => timers.stop());
		}

		return {
			config,
			log,
			nodeName,
			database,
			broker: { kind: brokerKind, url: brokerUrl, client },
			events,
			ingest,
			peerDrain,
			pushCluster,
			demoLogins,
			close: closeAll
		};
	} catch (error) {
		await closeAll();
		throw error;
	}
}
