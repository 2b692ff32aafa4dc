/**
 * A direct connection to the run's database, ready for tests that work below the services: PostGIS
 * on, migrations applied, the shipped Siming data loaded. One connection only: behind an embedded
 * PGlite, concurrent connections can interleave their queries.
 */
import { inject } from 'vitest';
import { createSql, type Sql } from '../../src/lib/server/db/client';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { ensurePostgis } from '../../src/lib/server/db/postgis';
import { seedDistrict } from '../../src/lib/server/regions/seed';

export async function prepareDatabase(url: string = inject('databaseUrl')): Promise<Sql> {
	const sql = createSql(url, { max: 1 });
	await ensurePostgis(sql);
	await applyMigrations(sql);
	await seedDistrict(sql, '350203');
	return sql;
}
