/**
 * The embedded database serves a pool of connections on one PGlite session. A statement that fails
 * on one connection must not disturb the queries of the others: each keeps the session until its
 * unit of work ends, so nothing is skipped, answered empty or answered to the wrong caller.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/lib/server/db/embedded';

let embedded: EmbeddedPostgres;
let sql: postgres.Sql;

beforeAll(async () => {
	embedded = await startEmbeddedPostgres({ withPostgis: false });
	sql = postgres(embedded.url, { max: 4, onnotice: () => {} });
	await sql`create table readings (id int primary key, value text)`;
	await sql`insert into readings values (0, 'first')`;
});

afterAll(async () => {
	await sql?.end();
	await embedded?.close();
});

it('answers every connection its own rows while statements on other connections fail', async () => {
	for (let round = 1; round <= 5; round++) {
		const answers = await Promise.all([
			sql
				.begin(async (tx) => {
					await tx`insert into readings values (${1000 + round}, 'rolled back')`;
					await tx`insert into readings values (${0}, 'duplicate')`;
				})
				.then(
					() => 'committed',
					(error: Error) => error.message
				),
			sql.begin(async (tx) => {
				await tx`insert into readings values (${round}, 'kept')`;
				const [{ count }] = await tx<{ count: number }[]>`select count(*)::int as count from readings`;
				return count;
			}),
			...[1, 2, 3].map((n) => sql<{ echo: string }[]>`select ${`echo ${round}.${n}`}::text as echo`),
			sql`select ${'not a number'}::int`.then(
				() => 'parsed',
				(error: Error) => error.message
			),
			sql<{ echo: string }[]>`select ${`last ${round}`}::text as echo`
		]);
		expect(answers[0]).toMatch(/duplicate key/);
		expect(answers[1]).toBe(round + 1);
		expect(answers.slice(2, 5).map((rows) => (rows as { echo: string }[])[0]?.echo)).toEqual([
			`echo ${round}.1`,
			`echo ${round}.2`,
			`echo ${round}.3`
		]);
		expect(answers[5]).toMatch(/invalid input syntax for type integer/);
		expect((answers[6] as { echo: string }[])[0]?.echo).toBe(`last ${round}`);
	}
	const ids = await sql<{ id: number }[]>`select id from readings order by id`;
	expect(ids.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5]);
});
