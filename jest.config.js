/** One jest run for the whole monorepo: TypeScript via swc, tests in __tests__ folders. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/actions', '<rootDir>/scripts'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // ESM-only dependencies, turned into CommonJS like our own sources (jest.resolver.js finds their entry points).
  transformIgnorePatterns: [
    '/node_modules/(?!(@actions|@octokit|universal-user-agent|before-after-hook|json-with-bigint|content-type)/)',
  ],
  resolver: '<rootDir>/jest.resolver.js',
  setupFiles: ['<rootDir>/jest.setup.js'],
  // One aws-sim model-conformance report for the whole run (packages/testkit/src/conformance-global.ts).
  globalSetup: '<rootDir>/packages/testkit/src/conformance-setup.ts',
  globalTeardown: '<rootDir>/packages/testkit/src/conformance-teardown.ts',
  testTimeout: 30000,
  // The end-to-end suites mostly wait on simulated time and child processes, so more workers than cores pay off.
  maxWorkers: 3,
};
