/**
 * Embedded PostgreSQL for a machine with no database: PGlite (+ PostGIS) behind pglite-socket,
 * so the rest of the app talks to it with the same postgres.js code it uses against a real server.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { asSocketQueue, UnitOfWorkQueue } from './embedded-queue';

export interface EmbeddedPostgres {
	url: string;
	close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
	/** Folder that keeps the database between runs; omit for an in-memory database (tests). */
	dataDir?: string;
	/** Load the PostGIS extension bundle (a plain PGlite stands in for "a database without PostGIS"). */
	withPostgis?: boolean;
	port?: number;
}

export async function startEmbeddedPostgres(
	options: EmbeddedPostgresOptions = {}
): Promise<EmbeddedPostgres> {
	if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
	const db = await PGlite.create({
		dataDir: options.dataDir,
		extensions: options.withPostgis === false ? {} : { postgis }
	});
	// Every connection is multiplexed onto the one PGlite session, a whole unit of work at a time
	// (see embedded-queue.ts), so a postgres.js pool is safe even when statements fail.
	const queue = asSocketQueue(new UnitOfWorkQueue(db));
	const connections = new Set<PGLiteSocketHandler>();
	const server = createServer((socket) => {
		const connection = new PGLiteSocketHandler({ queryQueue: queue, closeOnDetach: true });
		connections.add(connection);
		connection.addEventListener('close', () => connections.delete(connection));
		connection.addEventListener('error', () => connections.delete(connection));
		void connection.attach(socket);
	});
	server.maxConnections = 64;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		async close() {
			for (const connection of connections) await connection.detach(true);
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await db.close();
		}
	};
}
