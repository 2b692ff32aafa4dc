/**
 * Applies the numbered plain-SQL files of migrations/ in order, each inside its own transaction,
 * recording each in schema_migrations. Safe to run twice and from several processes at once
 * (an advisory lock serialises them).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { StartupError } from '../errors';
import type { Sql } from './client';

export interface MigrationFile {
	version: number;
	name: string;
	sql: string;
	checksum: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Arbitrary constant shared by every CareCircle process: "cc-migrate". */
const MIGRATION_LOCK_KEY = 0x63636d67;

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../../../migrations');

export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
	const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
	const files: MigrationFile[] = [];
	for (const name of names) {
		const match = FILE_PATTERN.exec(name);
		if (!match)
			throw new StartupError('MIGRATION_NAME', `Migration file ${name} must be named NNNN_snake_case.sql`);
		const text = await readFile(path.join(dir, name), 'utf8');
		files.push({
			version: Number(match[1]),
			name: match[2],
			sql: text,
			checksum: createHash('sha256').update(text).digest('hex')
		});
	}
	const versions = files.map((file) => file.version);
	const duplicate = versions.find((version, index) => versions.indexOf(version) !== index);
	if (duplicate !== undefined)
		throw new StartupError('MIGRATION_DUPLICATE', `Two migrations share number ${duplicate}`);
	return files;
}

/** Returns the versions applied by this call (empty when the database was already up to date). */
export async function applyMigrations(sql: Sql, dir?: string): Promise<number[]> {
	const files = await readMigrations(dir);
	await sql`
		create table if not exists schema_migrations (
			version integer primary key,
			name text not null,
			checksum text not null,
			applied_at timestamptz not null default now()
		)`;
	const applied: number[] = [];
	for (const file of files) {
		const done = await sql.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`;
			const [existing]: { checksum: string }[] =
				await tx`select checksum from schema_migrations where version = ${file.version}`;
			if (existing) {
				if (existing.checksum !== file.checksum) {
					throw new StartupError(
						'MIGRATION_CHANGED',
						`Migration ${file.version}_${file.name} was changed after it was applied; add a new migration instead`
					);
				}
				return false;
			}
			await tx.unsafe(file.sql).simple();
			await tx`insert into schema_migrations (version, name, checksum) values (${file.version}, ${file.name}, ${file.checksum})`;
			return true;
		});
		if (done) applied.push(file.version);
	}
	return applied;
}
