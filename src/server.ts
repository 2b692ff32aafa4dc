/**
 * The process entry: configuration → services → (web role) HTTP server with the SvelteKit handler
 * and socket.io on one port. SIGTERM/SIGINT stop accepting, let in-flight requests finish, close the
 * broker and database connections and exit 0. Operator-fixable startup problems print one line, exit 1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './lib/server/config';
import { setServices } from './lib/server/context';
import { isConnectionFailure } from './lib/server/db/connection-failure';
import { StartupError } from './lib/server/errors';
import { createLogger } from './lib/server/log/logger';
import { startOpsServer, type OpsServer } from './lib/server/metrics/ops-server';
import { attachRealtime, type RealtimeServer } from './lib/server/realtime/socket-server';
import { startServices, type Services } from './lib/server/services';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

/**
 * adapter-node takes every request for https unless ORIGIN or PROTOCOL_HEADER says otherwise, and
 * SvelteKit then refuses each form POST from an http page as cross-site. This server speaks plain HTTP
 * itself, so unless the operator configured either (a TLS proxy in front), it states the protocol
 * on each request under a header of its own, overwriting whatever a client sent by that name.
 */
const OWN_PROTOCOL_HEADER = 'x-carecircle-protocol';
const statesProtocol = !process.env.ORIGIN && !process.env.PROTOCOL_HEADER;
if (statesProtocol) process.env.PROTOCOL_HEADER = OWN_PROTOCOL_HEADER;

/**
 * adapter-node refuses request bodies over 512 KB unless told otherwise; a boundary-marker photo may
 * be 2 MiB (migration 0015) and an address file of a few thousand rows passes 512 KB. An operator's
 * own BODY_SIZE_LIMIT wins.
 */
process.env.BODY_SIZE_LIMIT ??= '4M';

async function main() {
	const config = loadConfig();
	// Each line names its process when several run side by side (NODE_NAME).
	const log = createLogger(config.logLevel, config.nodeName ? { node: config.nodeName } : {});
	// postgres.js reads a new connection's array types outside any caller's promise, so a connection
	// lost right then (the database restarting) rejects where nobody waits. That is logged, not fatal:
	// the pool connects again on the next query. Anything else unhandled still stops the process.
	process.on('unhandledRejection', (reason) => {
		if (!isConnectionFailure(reason)) throw reason;
		log.warn({ err: reason }, 'a database connection was lost while it was being set up');
	});
	const services = await startServices(config, log);
	setServices(services);

	let httpServer: http.Server | undefined;
	let io: RealtimeServer | undefined;
	let demo: Demo | undefined;
	let ops: OpsServer | undefined;
	if (config.roles.includes('web')) {
		const handlerUrl = new URL('../build/handler.js', import.meta.url);
		const { handler } = (await import(/* @vite-ignore */ handlerUrl.href)) as { handler: NodeHandler };
		httpServer = http.createServer((req, res) => {
			if (statesProtocol) req.headers[OWN_PROTOCOL_HEADER] = 'http';
			handler(req, res, () => {
				res.statusCode = 404;
				res.end('Not found');
			});
		});
		io = attachRealtime(httpServer, services);
		services.socketConnections = () => io!.engine.clientsCount;
		await new Promise<void>((resolve, reject) => {
			httpServer!.once('error', (error: NodeJS.ErrnoException) =>
				reject(
					new StartupError(
						'HTTP_PORT',
						`Cannot listen on ${config.host}:${config.port} (${error.code}); set PORT to a free port`
					)
				)
			);
			httpServer!.listen(config.port, config.host, resolve);
		});
		const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
		const { port } = httpServer.address() as AddressInfo;
		log.info(
			{ roles: config.roles, port },
			`CareCircle is ready at http://${shownHost}:${port} (roles: ${config.roles.join(', ')})`
		);
		if (config.demo) demo = startDemo(services, port);
	} else if (config.metricsPort !== undefined) {
		ops = await startOpsServer(services, config.host, config.metricsPort);
		log.info(
			{ roles: config.roles, metricsPort: ops.port },
			`CareCircle is running (roles: ${config.roles.join(', ')}; /metrics and /api/health on port ${ops.port})`
		);
	} else {
		log.info(
			{ roles: config.roles },
			`CareCircle is running (roles: ${config.roles.join(', ')}; no web role, no HTTP port)`
		);
	}

	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info({ signal }, 'shutting down: no new connections, finishing in-flight work');
		const force = setTimeout(() => {
			log.warn('shutdown timed out, closing remaining connections');
			httpServer?.closeAllConnections();
		}, config.shutdownTimeoutMs);
		force.unref();
		await demo?.stop();
		if (io) await new Promise<void>((resolve) => io!.close(() => resolve()));
		httpServer?.closeIdleConnections();
		await ops?.close();
		await services.close();
		setServices(undefined);
		clearTimeout(force);
		log.info('stopped');
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
}

interface Demo {
	stop(): Promise<void>;
}

/** The demo's size and pace: a couple of alerts a minute, a simulated day every 2.4 minutes. */
const DEMO_HOUSEHOLDS = 40;
const DEMO_RESPONDERS = 12;
const DEMO_SPEED = 600;
/** Responders walk, answer and visit ten times faster than real people: the map shows them moving. */
const DEMO_RESPONDER_SPEED = 10;
const DEMO_SEED = 1;

/**
 * Demo mode (DEMO=1, the default): a small simulated fleet and responders, in this process but
 * talking to the platform only as outsiders do — over HTTP on this server's port (logged in as the
 * demo administrator) and MQTT through its broker — so a newcomer sees live alerts on /console within a minute of `npm start`.
 */
function startDemo(services: Services, port: number): Demo {
	const log = services.log.child({ role: 'demo' });
	const url = `http://${['0.0.0.0', '::'].includes(services.config.host) ? '127.0.0.1' : services.config.host}:${port}`;
	const districtCode = services.config.districtCode;
	const running: Demo[] = [];
	let stopping = false;
	const admin = services.demoLogins.find((login) => login.role === 'administrator');
	if (!admin) {
		log.warn('demo: no demo accounts (DEMO_ACCOUNTS=0), so the simulated fleet and responders cannot log in');
		return { stop: async () => {} };
	}
	const loggedIn = import('../simulators/platform-session').then(({ useLogin }) => useLogin(url, admin));
	const started = (async () => {
		await loggedIn;
		const { startFleet } = await import('../simulators/devices/index');
		const fleet = await startFleet({
			url,
			households: DEMO_HOUSEHOLDS,
			seed: DEMO_SEED,
			speed: DEMO_SPEED,
			mqttUrl: services.broker.url,
			districtCode,
			log: { info: (message) => log.info(message), warn: (message) => log.warn(message) }
		});
		running.push(fleet);
		log.info(
			`demo: ${fleet.devices.length} devices in ${DEMO_HOUSEHOLDS} simulated households at ${DEMO_SPEED}× speed; watch /console (DEMO=0 turns this off)`
		);
	})().catch((error: unknown) => log.error({ err: error }, 'demo: the device fleet could not start'));
	const responders = (async () => {
		await loggedIn;
		const { startResponders } = await import('../simulators/responders/index');
		if (stopping) return;
		running.push(
			await startResponders({
				url,
				districtCode,
				count: DEMO_RESPONDERS,
				seed: DEMO_SEED,
				speed: DEMO_RESPONDER_SPEED,
				// Nobody sits at /console in a demo: a simulated dispatcher answers and assigns.
				dispatcher: true,
				log: (line) => log.debug(line)
			})
		);
		log.info(`demo: ${DEMO_RESPONDERS} simulated responders on duty`);
	})().catch((error: unknown) => log.error({ err: error }, 'demo: the responders could not start'));
	return {
		async stop() {
			stopping = true;
			await Promise.all([started, responders]);
			for (const part of running.reverse()) await part.stop().catch(() => {});
		}
	};
}

main().catch((error: unknown) => {
	if (error instanceof StartupError || error instanceof ConfigError) {
		console.error(`carecircle: ${error.message}`);
	} else {
		console.error('carecircle: unexpected startup failure', error);
	}
	process.exit(1);
});
