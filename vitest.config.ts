import { defineConfig } from 'vitest/config';

/**
 * Unit tests (pure) and integration tests (real PostgreSQL+PostGIS and MQTT broker).
 * Without DATABASE_URL / MQTT_URL the global setup starts the embedded defaults once per run.
 */
export default defineConfig({
	test: {
		include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		globalSetup: ['tests/global-setup.ts'],
		testTimeout: 30_000,
		hookTimeout: 120_000,
		fileParallelism: false
	}
});
