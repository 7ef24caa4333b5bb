import { defineConfig } from 'vitest/config';

// Two cores: two test files at a time. Real services (Temporal, Chromium,
// Dovecot, PostgreSQL) make tests slower than unit tests; the timeouts say so.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { minForks: 1, maxForks: 2 } },
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
