import { describe, expect, it } from 'vitest';
import { isTransient } from '../../src/lib/server/ingest/ingest-worker';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('isTransient', () => {
	it('holds and retries when the database or the network is unwell', () => {
		for (const code of [
			'08006',
			'57P01',
			'53300',
			'53100',
			'40P01',
			'ECONNREFUSED',
			'ENOTFOUND',
			'EAI_AGAIN'
		])
			expect(isTransient(failure(code)), code).toBe(true);
	});

	it("treats what the database refuses in the message itself as the message's fault", () => {
		for (const code of ['22P05', '23503', '22021', '42703'])
			expect(isTransient(failure(code)), code).toBe(false);
		expect(isTransient(new Error('no code'))).toBe(false);
	});
});
