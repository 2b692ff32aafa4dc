/** Called by the Vite dev-server plugin (vite.config.ts): the dev twin of src/server.ts. */
import type { Server as HttpServer } from 'node:http';
import { loadConfig } from './config';
import { setServices } from './context';
import { createLogger } from './log/logger';
import { attachRealtime } from './realtime/socket-server';
import { startServices } from './services';

export async function startDevServices(httpServer: HttpServer | null): Promise<void> {
	const config = loadConfig();
	const services = await startServices(config, createLogger(config.logLevel));
	setServices(services);
	if (httpServer) {
		attachRealtime(httpServer, services);
		httpServer.once('close', () => void services.close());
	}
}
