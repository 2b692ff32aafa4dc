/**
 * `npm run user:add -- <username> <role> [--name 姓名] [--streets 350203010,...] [--responder 12]`:
 * creates an account
 * in the configured database (DATABASE_URL, or the embedded PGlite under DATA_DIR) — the way to make
 * the first administrator. The password is read from CARECIRCLE_NEW_PASSWORD, or generated and
 * printed once; it is never taken from the command line, where shell history would keep it.
 */
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { AccountError, createAccount } from '../lib/server/auth/accounts';
import { generatePassword } from '../lib/server/auth/passwords';
import { ROLES, isRole } from '../lib/server/auth/roles';
import { ConfigError, loadConfig } from '../lib/server/config';
import { openDatabase } from '../lib/server/db/connect';
import { applyMigrations } from '../lib/server/db/migrate';
import { StartupError } from '../lib/server/errors';

const usage = `usage: npm run user:add -- <username> <role> [--name 姓名] [--streets 350203010,...] [--responder <responder id>]\nroles: ${ROLES.join(', ')}`;

function fail(message: string): never {
	console.error(`carecircle user:add: ${message}`);
	process.exit(1);
}

const { positionals, values } = parseArgs({
	allowPositionals: true,
	options: { name: { type: 'string' }, streets: { type: 'string' }, responder: { type: 'string' } }
});
const [username, role] = positionals;
if (!username || !role) fail(usage);
if (!isRole(role)) fail(`unknown role "${role}"\n${usage}`);

try {
	const config = loadConfig();
	const database = await openDatabase(config);
	try {
		await applyMigrations(database.sql);
		const chosen = process.env.CARECIRCLE_NEW_PASSWORD;
		const password = chosen ?? generatePassword();
		const account = await createAccount(database.sql, {
			username,
			role,
			displayName: values.name ?? username,
			password,
			streetCodes: values.streets ? values.streets.split(',').map((code) => code.trim()) : [],
			responderId: values.responder ? Number(values.responder) : null
		});
		console.log(`created ${account.username} (${account.role}) in ${database.displayUrl}`);
		if (!chosen) console.log(`password (shown once): ${password}`);
	} finally {
		await database.close();
	}
} catch (error) {
	if (error instanceof ZodError)
		fail(error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
	if (error instanceof AccountError || error instanceof StartupError || error instanceof ConfigError)
		fail(error.message);
	throw error;
}
