/**
 * The process entry: configuration → services → (web role) HTTP server with the SvelteKit handler
 * and socket.io on one port. SIGTERM/SIGINT stop accepting, let in-flight requests finish, close the
 * broker and database connections and exit 0. Operator-fixable startup problems print one line, exit 1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './lib/server/config';
import { setServices } from './lib/server/context';
import { StartupError } from './lib/server/errors';
import { createLogger } from './lib/server/log/logger';
import { attachRealtime, type RealtimeServer } from './lib/server/realtime/socket-server';
import { startServices } from './lib/server/services';

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

async function main() {
	const config = loadConfig();
	const log = createLogger(config.logLevel);
	const services = await startServices(config, log);
	setServices(services);

	let httpServer: http.Server | undefined;
	let io: RealtimeServer | undefined;
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
		if (io) await new Promise<void>((resolve) => io!.close(() => resolve()));
		httpServer?.closeIdleConnections();
		await services.close();
		setServices(undefined);
		clearTimeout(force);
		log.info('stopped');
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
	if (error instanceof StartupError || error instanceof ConfigError) {
		console.error(`carecircle: ${error.message}`);
	} else {
		console.error('carecircle: unexpected startup failure', error);
	}
	process.exit(1);
});
