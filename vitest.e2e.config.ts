import { defineConfig } from 'vitest/config';

/** Browser tests: the built server in a child process, driven through Debian's chromium. */
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.test.ts'],
		testTimeout: 120_000,
		hookTimeout: 180_000,
		fileParallelism: false
	}
});
