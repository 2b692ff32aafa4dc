/**
 * The operations port of a process without the web role (an ingest worker, a timers process): its
 * own `/metrics` and `/api/health` on METRICS_PORT, so every process of a deployment is scraped and
 * watched, not only the web nodes (which serve both through the app).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from '../errors';
import { checkHealth } from '../health';
import type { Services } from '../services';
import { renderMetrics } from './metrics';

export interface OpsServer {
	port: number;
	close(): Promise<void>;
}

export async function startOpsServer(services: Services, host: string, port: number): Promise<OpsServer> {
	const server = http.createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://localhost').pathname;
		const answer = async () => {
			if (req.method !== 'GET') return reply(res, 405, 'text/plain', 'Method not allowed\n');
			if (path === '/metrics')
				return reply(res, 200, 'text/plain; version=0.0.4; charset=utf-8', await renderMetrics(services));
			if (path === '/api/health') {
				const report = await checkHealth(services);
				return reply(res, report.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(report));
			}
			reply(res, 404, 'text/plain', 'Not found\n');
		};
		answer().catch((error: unknown) => {
			services.log.error({ err: error, path }, 'operations request failed');
			if (!res.headersSent) reply(res, 503, 'text/plain', 'Unavailable\n');
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) =>
			reject(
				new StartupError(
					'METRICS_PORT',
					`Cannot listen on ${host}:${port} for metrics (${error.code}); set METRICS_PORT to a free port`
				)
			)
		);
		server.listen(port, host, resolve);
	});
	return {
		port: (server.address() as AddressInfo).port,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

function reply(res: http.ServerResponse, status: number, type: string, body: string): void {
	res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
	res.end(body);
}
