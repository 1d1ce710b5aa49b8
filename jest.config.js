/** One jest run for the whole monorepo: TypeScript via swc, tests in __tests__ folders. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/testing', '<rootDir>/actions', '<rootDir>/scripts'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // ESM-only dependencies, turned into CommonJS like our own sources (jest.resolver.js finds their entry points).
  transformIgnorePatterns: [
    '/node_modules/(?!(@actions|@octokit|universal-user-agent|before-after-hook|json-with-bigint|content-type)/)',
  ],
  resolver: '<rootDir>/jest.resolver.js',
  testSequencer: '<rootDir>/jest.sequencer.js',
  setupFiles: ['<rootDir>/jest.setup.js'],
  // A temporary folder per run, failing when tests leave anything in it; and one aws-sim model-conformance report
  // for the whole run (testing/testkit/src/conformance-global.ts), started and read by the same two files.
  globalSetup: '<rootDir>/jest.global-setup.js',
  globalTeardown: '<rootDir>/jest.global-teardown.js',
  // A guard against a hung test, not a speed check (those live in `npm run bench`): long enough for the slowest
  // end-to-end test on a loaded machine. Test files do not set shorter ones.
  testTimeout: 300_000,
  // The end-to-end suites mostly wait: on the actions' real-time polling and retry windows, on child processes.
  // Measured on 2 idle cores, the whole jest run: 4 workers kept ~1.3 cores busy; 6 took 260 s using 1.73 cores
  // (450 s of CPU); 8 take 238 s using 1.84 (438 s): the waits overlap, and the run is bound by CPU, not by waiting.
  maxWorkers: 8,
  // At the end of a full run every worker emits 'exit' within a few ms of being told to stop, but the processes take
  // 420–600 ms more to end (measured: node's own shutdown waiting on its threads, 8 processes at once on 2 cores; no
  // handle left open in any of them). jest's default of 500 ms then killed one in every full run and printed "failed
  // to exit gracefully … tests leaking", a false alarm. A worker that really hangs is still killed, after this.
  workerGracefulExitTimeout: 5_000,
};
