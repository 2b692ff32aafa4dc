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
	// PGlite serves one session at a time; a small pool keeps its multiplexer's queue short.
	const sql = createSql(url, { max: embedded ? 4 : 10 });
	const close = async () => {
		await sql.end({ timeout: 5 });
		await embedded?.close();
	};
	try {
		const [{ serverVersionNum }]: { serverVersionNum: string }[] = await sql`show server_version_num`;
		if (Number(serverVersionNum) < 150000) {
			throw new StartupError(
				'DATABASE_VERSION',
				`PostgreSQL 15 or newer is required, ${redactUrl(url)} runs ${serverVersionNum}`
			);
		}
	} catch (error) {
		if (error instanceof StartupError) {
			await close();
			throw error;
		}
		await close();
		const reason = error instanceof Error ? error.message : String(error);
		throw new StartupError(
			'DATABASE_UNREACHABLE',
			`Cannot connect to the database at ${redactUrl(url)} (${reason})`
		);
	}
	try {
		const postgisVersion = await ensurePostgis(sql);
		return {
			sql,
			kind: embedded ? 'embedded-pglite' : 'postgresql',
			displayUrl: embedded ? `embedded PGlite in ${path.join(options.dataDir, 'pglite')}` : redactUrl(url),
			postgisVersion,
			close
		};
	} catch (error) {
		await close();
		throw error;
	}
}
