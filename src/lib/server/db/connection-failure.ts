/**
 * Whether an error says the database connection failed — it could not be made, was lost, or the
 * server shut down or terminated the backend — rather than that the database refused a statement.
 * SQLSTATE class 08 (connection exception) and 57P01–57P03 (shutdown, cannot connect now); a socket
 * error (ECONNREFUSED, ECONNRESET…); postgres.js's own CONNECTION_* and CONNECT_TIMEOUT.
 */
const CONNECTION_FAILURE =
	/^(08[0-9A-Z]{3}|57P0[123]|E[A-Z_]+|CONNECTION_(CLOSED|DESTROYED|ENDED)|CONNECT_TIMEOUT)$/;

export function isConnectionFailure(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && CONNECTION_FAILURE.test(code);
}
