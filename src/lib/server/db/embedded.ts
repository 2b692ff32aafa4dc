/**
 * Embedded PostgreSQL for a machine with no database: PGlite (+ PostGIS) behind pglite-socket,
 * so the rest of the app talks to it with the same postgres.js code it uses against a real server.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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
	// The socket server multiplexes connections onto the single PGlite session and keeps a
	// transaction's statements together, so a small postgres.js pool is safe.
	const server = new PGLiteSocketServer({
		db,
		host: '127.0.0.1',
		port: options.port ?? 0,
		maxConnections: 64
	});
	await server.start();
	const url = `postgres://postgres@${server.getServerConn()}/postgres`;
	return {
		url,
		async close() {
			await server.stop();
			await db.close();
		}
	};
}
