/** The one postgres.js client factory: snake_case SQL, camelCase TypeScript. */
import postgres from 'postgres';

export type Sql = postgres.Sql;

export function createSql(url: string, options: { max?: number; applicationName?: string } = {}): Sql {
	return postgres(url, {
		max: options.max ?? 10,
		transform: postgres.camel,
		connect_timeout: 10,
		idle_timeout: 60,
		onnotice: () => {},
		connection: { application_name: options.applicationName ?? 'carecircle' }
	});
}
