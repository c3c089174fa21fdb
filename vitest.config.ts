// Test runner settings: one process per test file (each loads PKCS#11 once), a shared test PKI made at start.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/kit/global-setup.ts'],
    pool: 'forks',
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
