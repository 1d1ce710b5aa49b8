// One temporary folder per jest run, handed to the workers and every process they start as TMPDIR (os.tmpdir()
// reads it), so jest.global-teardown.js can tell this run's leftovers from other processes' files.
const { chmodSync, mkdirSync, mkdtempSync, symlinkSync } = require('node:fs');
const { tmpdir, userInfo } = require('node:os');
const { join } = require('node:path');

/** Compile caches tools keep in the temporary folder on purpose, to outlive a run: tsx's and jiti's. */
const SHARED_CACHES = [`tsx-${userInfo().uid}`, 'jiti'];

module.exports = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipyard-jest-'));
  // Open to every user like the system's (a test PostgreSQL server runs as user postgres), sticky like it too.
  chmodSync(dir, 0o1777);
  // The caches stay where they usually are: linked, not created here.
  for (const cache of SHARED_CACHES) {
    mkdirSync(join(tmpdir(), cache), { recursive: true });
    symlinkSync(join(tmpdir(), cache), join(dir, cache));
  }
  process.env.SHIPYARD_JEST_TMPDIR = dir;
  process.env.SHIPYARD_JEST_TMP_SHARED = SHARED_CACHES.join('\n');
  process.env.TMPDIR = dir;
  // After TMPDIR is set, so the report's folder is inside this run's and the leak check sees it go.
  require('./testing/testkit/src/conformance-global').setup();
};
