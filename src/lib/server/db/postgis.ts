import { StartupError } from '../errors';
import type { Sql } from './client';

/**
 * Makes sure PostGIS 3 is installed in the database and returns its version.
 * A server without the extension package gets one clear error instead of failing later in a migration.
 */
export async function ensurePostgis(sql: Sql): Promise<string> {
	try {
		await sql`create extension if not exists postgis`;
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new StartupError(
			'POSTGIS_MISSING',
			`PostGIS 3 is required but could not be enabled in this database (${reason}); install it on the server (Debian: apt-get install postgresql-15-postgis-3)`
		);
	}
	const [row] = await sql<{ version: string }[]>`select postgis_lib_version() as version`;
	if (!row.version.startsWith('3.')) {
		throw new StartupError(
			'POSTGIS_VERSION',
			`PostGIS 3 is required, this database has PostGIS ${row.version}`
		);
	}
	return row.version;
}
