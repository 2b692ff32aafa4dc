/** What GET /api/health reports: each dependency's kind and whether it answers right now. */
import type { Services } from './services';
import { APP_VERSION } from './version';

export interface HealthReport {
	status: 'ok' | 'degraded';
	version: string;
	node: string;
	roles: string[];
	database: { kind: string; reachable: boolean; postgisVersion: string | null; error?: string };
	/**
	 * `url` only for the embedded broker: devices (and the simulators) cannot learn its per-run port
	 * otherwise; a real broker's address is the operator's to hand out.
	 */
	broker: { kind: string; connected: boolean; url?: string };
	/**
	 * How pushes reach the other nodes: `redis` (REDIS_URL) or `in-process` (one node). Redis away
	 * does not make the node degraded: it still serves its own consoles, which catch up on reconnect.
	 */
	pushes: { kind: 'redis' | 'in-process'; connected: boolean };
}

export async function checkHealth(services: Services, timeoutMs = 2000): Promise<HealthReport> {
	const database: HealthReport['database'] = {
		kind: services.database.kind,
		reachable: false,
		postgisVersion: null
	};
	try {
		const query = services.database.sql<{ version: string }[]>`select postgis_lib_version() as version`;
		const timer = setTimeout(() => query.cancel(), timeoutMs);
		const [row] = await query.finally(() => clearTimeout(timer));
		database.reachable = true;
		database.postgisVersion = row.version;
	} catch (error) {
		database.error = (error as { code?: string }).code ?? 'unreachable';
	}
	const broker: HealthReport['broker'] = {
		kind: services.broker.kind,
		connected: services.broker.client.connected
	};
	if (services.broker.kind === 'embedded-aedes') broker.url = services.broker.url;
	return {
		status: database.reachable && broker.connected ? 'ok' : 'degraded',
		version: APP_VERSION,
		node: services.nodeName,
		roles: services.config.roles,
		database,
		broker,
		pushes: services.pushCluster
			? { kind: 'redis', connected: services.pushCluster.connected() }
			: { kind: 'in-process', connected: true }
	};
}
