/**
 * A small in-memory rate limiter by key (a client's IP), counting requests in fixed windows. Per
 * process: with several web nodes each allows the limit, which is enough to stop one client
 * scraping the public address pages; it is not a security boundary.
 */
export class RateLimiter {
	private windows = new Map<string, { start: number; count: number }>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
		private readonly now: () => number = Date.now
	) {}

	/** Counts one request; false when the key has used up its window. */
	take(key: string): boolean {
		const now = this.now();
		let window = this.windows.get(key);
		if (!window || now - window.start >= this.windowMs) {
			// Old windows are dropped as the map grows, so idle clients do not accumulate.
			if (this.windows.size > 10_000) this.sweep(now);
			window = { start: now, count: 0 };
			this.windows.set(key, window);
		}
		window.count++;
		return window.count <= this.limit;
	}

	/** Whether the key has used up its window, without counting a request. */
	exhausted(key: string): boolean {
		const window = this.windows.get(key);
		return window !== undefined && this.now() - window.start < this.windowMs && window.count >= this.limit;
	}

	private sweep(now: number) {
		for (const [key, window] of this.windows)
			if (now - window.start >= this.windowMs) this.windows.delete(key);
	}
}
