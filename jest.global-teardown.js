// Fails the run when a test left anything in the run's temporary folder (see jest.global-setup.js): every test
// removes what it creates. The folder itself goes either way.
const { readdirSync, rmSync } = require('node:fs');

module.exports = () => {
  // First, so its report folder is gone before the leak check; a violation still fails the run after it.
  let conformance;
  try {
    require('./testing/testkit/src/conformance-global').teardown();
  } catch (error) {
    conformance = error;
  }
  const dir = process.env.SHIPYARD_JEST_TMPDIR;
  if (!dir) {
    if (conformance) throw conformance;
    return;
  }
  const shared = (process.env.SHIPYARD_JEST_TMP_SHARED ?? '').split('\n');
  const left = readdirSync(dir)
    .filter((entry) => !shared.includes(entry))
    .sort();
  // Removes the links to the shared caches, not the caches.
  rmSync(dir, { recursive: true, force: true });
  if (left.length) {
    const shown = left.slice(0, 20).join(', ') + (left.length > 20 ? ', …' : '');
    throw new Error(
      `${conformance ? `${conformance.message}; and ` : ''}tests left ${left.length} temporary file(s) or folder(s) behind in ${dir}: ${shown}`,
    );
  }
  if (conformance) throw conformance;
};
