/**
 * Once per test run: use the real services named by DATABASE_URL / MQTT_URL, or start the embedded
 * defaults (in-memory PGlite + PostGIS, aedes on a free port) so `npm test` works on a bare machine.
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/lib/server/db/embedded';
import { startEmbeddedBroker } from '../src/lib/server/mqtt/broker';

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
		mqttUrl: string;
		servicesKind: 'real' | 'embedded';
	}
}

export default async function setup(project: TestProject) {
	const closers: (() => Promise<void>)[] = [];
	let databaseUrl = process.env.DATABASE_URL;
	let mqttUrl = process.env.MQTT_URL;
	if (!databaseUrl) {
		const pg = await startEmbeddedPostgres();
		closers.push(pg.close);
		databaseUrl = pg.url;
	}
	if (!mqttUrl) {
		const broker = await startEmbeddedBroker('127.0.0.1', 0);
		closers.push(broker.close);
		mqttUrl = broker.url;
	}
	console.log(
		`[tests] database: ${process.env.DATABASE_URL ? `real PostgreSQL (${databaseUrl.replace(/\/\/[^@/]*@/, '//')})` : 'embedded PGlite + PostGIS'}; ` +
			`broker: ${process.env.MQTT_URL ? `real MQTT broker (${mqttUrl})` : 'embedded aedes'}`
	);
	project.provide('databaseUrl', databaseUrl);
	project.provide('mqttUrl', mqttUrl);
	project.provide('servicesKind', process.env.DATABASE_URL && process.env.MQTT_URL ? 'real' : 'embedded');
	return async () => {
		for (const close of closers.reverse()) await close();
	};
}
