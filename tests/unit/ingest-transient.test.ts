import { describe, expect, it } from 'vitest';
import { isConnectionFailure } from '../../src/lib/server/db/connection-failure';
import { classifyStoreFailure, isTransient } from '../../src/lib/server/ingest/ingest-worker';

const failure = (code: unknown) => Object.assign(new Error(String(code)), { code });

describe('classifyStoreFailure', () => {
	it('takes a data exception (class 22) or an integrity violation (class 23) for a bad message', () => {
		for (const code of ['22P05', '22021', '22008', '22003', '22023', '23502', '23503', '23505', '23514'])
			expect(classifyStoreFailure(failure(code)), code).toBe('bad_data');
	});

	it('takes a lost or refused connection, a shutdown or a terminated backend for a bad moment', () => {
		for (const code of [
			'08006',
			'08001',
			'08P01',
			'57P01',
			'57P02',
			'57P03',
			'57014',
			'53300',
			'53100',
			'40P01',
			'40001',
			'55P03',
			'ECONNREFUSED',
			'ECONNRESET',
			'ETIMEDOUT',
			'ENOTFOUND',
			'EAI_AGAIN',
			'CONNECTION_CLOSED',
			'CONNECTION_DESTROYED',
			'CONNECT_TIMEOUT'
		])
			expect(classifyStoreFailure(failure(code)), code).toBe('transient');
	});

	it('holds and retries any other refusal from PostgreSQL (the server, not the message, is at fault)', () => {
		for (const code of ['42703', '42P01', '25006', 'XX000'])
			expect(classifyStoreFailure(failure(code)), code).toBe('transient');
	});

	it('files an error that is neither PostgreSQL nor the connection as a bad message, so it cannot stall the rest', () => {
		expect(classifyStoreFailure(new TypeError('cannot read properties of undefined'))).toBe('bad_data');
		expect(classifyStoreFailure(failure('UNDEFINED_VALUE'))).toBe('bad_data');
		expect(classifyStoreFailure(failure('MAX_PARAMETERS_EXCEEDED'))).toBe('bad_data');
		expect(classifyStoreFailure(failure(22021))).toBe('bad_data');
		expect(classifyStoreFailure(null)).toBe('bad_data');
	});

	it('agrees with isTransient', () => {
		expect(isTransient(failure('22P05'))).toBe(false);
		expect(isTransient(failure('23505'))).toBe(false);
		expect(isTransient(failure('57P01'))).toBe(true);
	});
});

describe('isConnectionFailure', () => {
	it('tells a lost or refused connection from a statement the database refused', () => {
		for (const code of ['08006', '57P01', '57P03', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECT_TIMEOUT'])
			expect(isConnectionFailure(failure(code)), code).toBe(true);
		for (const code of ['22P02', '23505', '42703', '40P01', '57014', 'UNDEFINED_VALUE'])
			expect(isConnectionFailure(failure(code)), code).toBe(false);
		expect(isConnectionFailure(new TypeError('x'))).toBe(false);
	});
});
