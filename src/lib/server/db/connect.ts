/**
 * Opens the database the configuration asks for: DATABASE_URL, or embedded PGlite under DATA_DIR.
 * Checks reachability and PostGIS before anything else runs, so problems surface as one clear line.
 */
import path from 'node:path';
import { StartupError, redactUrl } from '../errors';
import { createSql, type Sql } from './client';
import { startEmbeddedPostgres } from './embedded';
import { ensurePostgis } from './postgis';

export type DatabaseKind = 'postgresql' | 'embedded-pglite';

export interface Database {
	sql: Sql;
	kind: DatabaseKind;
	/** Connection URL with the password hidden, for logs and the health endpoint. */
	displayUrl: string;
	postgisVersion: string;
	close(): Promise<void>;
}

export async function openDatabase(options: { databaseUrl?: string; dataDir: string }): Promise<Database> {
	const embedded = options.databaseUrl
		? undefined
		: await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, 'pglite') });
	const url = options.databaseUrl ?? embedded!.url;
	// One connection first, to learn what answers: PGlite's socket server multiplexes connections
	// message by message, so concurrent queries from several connections can interleave and break
	// each other's unnamed portals. Against PGlite the app therefore keeps to that one connection.
	let sql = createSql(url, { max: 1 });
	let pglite = false;
	try {
		const [server]: { version: string; serverVersionNum: string }[] =
			await sql`select version(), current_setting('server_version_num') as server_version_num`;
		if (Number(server.serverVersionNum) < 150000) {
			throw new StartupError(
				'DATABASE_VERSION',
				`PostgreSQL 15 or newer is required, ${redactUrl(url)} runs ${server.serverVersionNum}`
			);
		}
		pglite = server.version.includes('PGlite');
	} catch (error) {
		await sql.end({ timeout: 5 });
		await embedded?.close();
		if (error instanceof StartupError) throw error;
		const reason = error instanceof Error ? error.message : String(error);
		throw new StartupError(
			'DATABASE_UNREACHABLE',
			`Cannot connect to the database at ${redactUrl(url)} (${reason})`
		);
	}
	if (!pglite) {
		await sql.end({ timeout: 5 });
		sql = createSql(url, { max: 10 });
	}
	const close = async () => {
		await sql.end({ timeout: 5 });
		await embedded?.close();
	};
	try {
		const postgisVersion = await ensurePostgis(sql);
		return {
			sql,
			kind: pglite ? 'embedded-pglite' : 'postgresql',
			displayUrl: embedded ? `embedded PGlite in ${path.join(options.dataDir, 'pglite')}` : redactUrl(url),
			postgisVersion,
			close
		};
	} catch (error) {
		await close();
		throw error;
	}
}
