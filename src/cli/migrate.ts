/**
 * `npm run migrate`: applies pending migrations to the configured database (DATABASE_URL, or the
 * embedded PGlite under DATA_DIR) and exits. The server also does this at startup.
 */
import { ConfigError, loadConfig } from '../lib/server/config';
import { openDatabase } from '../lib/server/db/connect';
import { applyMigrations } from '../lib/server/db/migrate';
import { StartupError } from '../lib/server/errors';

try {
	const config = loadConfig();
	const database = await openDatabase(config);
	try {
		const applied = await applyMigrations(database.sql);
		console.log(
			`${database.displayUrl}: ${applied.length ? `applied migrations ${applied.join(', ')}` : 'already up to date'}`
		);
	} finally {
		await database.close();
	}
} catch (error) {
	if (error instanceof StartupError || error instanceof ConfigError) {
		console.error(`carecircle migrate: ${error.message}`);
		process.exit(1);
	}
	throw error;
}
