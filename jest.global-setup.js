// One temporary folder per jest run, handed to the workers and every process they start as TMPDIR (os.tmpdir()
// reads it), so jest.global-teardown.js can tell this run's leftovers from other processes' files.
const { mkdirSync, mkdtempSync, symlinkSync } = require('node:fs');
const { tmpdir, userInfo } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipyard-jest-'));
  // tsx keeps its compile cache in <tmpdir>/tsx-<uid>, meant to outlive a run: point it at the usual one.
  const tsxCache = `tsx-${userInfo().uid}`;
  mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
  symlinkSync(join(tmpdir(), tsxCache), join(dir, tsxCache));
  process.env.SHIPYARD_JEST_TMPDIR = dir;
  process.env.SHIPYARD_JEST_TMP_SHARED = tsxCache;
  process.env.TMPDIR = dir;
  // After TMPDIR is set, so the report's folder is inside this run's and the leak check sees it go.
  require('./packages/testkit/src/conformance-global').setup();
};
