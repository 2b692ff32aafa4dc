import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/lib/server/http/rate-limit';

describe('RateLimiter', () => {
	it('lets a client make the limit of requests in a window and refuses the next', () => {
		const limiter = new RateLimiter(3, 60_000, () => 1_000);
		expect([1, 2, 3, 4].map(() => limiter.take('10.0.0.1'))).toEqual([true, true, true, false]);
	});

	it('counts each client on its own', () => {
		const limiter = new RateLimiter(1, 60_000, () => 1_000);
		expect(limiter.take('10.0.0.1')).toBe(true);
		expect(limiter.take('10.0.0.2')).toBe(true);
		expect(limiter.take('10.0.0.1')).toBe(false);
	});

	it('starts a new window once the old one has passed', () => {
		let now = 0;
		const limiter = new RateLimiter(1, 60_000, () => now);
		expect(limiter.take('10.0.0.1')).toBe(true);
		now = 59_999;
		expect(limiter.take('10.0.0.1')).toBe(false);
		now = 60_000;
		expect(limiter.take('10.0.0.1')).toBe(true);
	});
});
