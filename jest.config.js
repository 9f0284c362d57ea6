/**
 * Two projects: `unit` needs no server and runs in about 21 s on 2 cores (`npm run test:unit`: two workers); `integration` runs against a real
 * Temporal dev server and a real Neo4j, which its global setup starts (through the same code as
 * `medaction services up`, in a separate state folder and on separate ports) and its teardown stops.
 * Run one with `npm run test:unit` / `npm run test:integration`.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };

/** @type {import('jest').Config} */
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      setupFiles: ['<rootDir>/test/support/quiet-worker-logs.ts'],
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
};
