// Fails when a committed dist/ differs from a fresh bundle of the sources, naming the action and the fix.
// An action whose dist/ and inputs are both as they were when a build last matched them is not built again (see
// dist-inputs.mjs); the others are bundled, one after another in this process (bundle-lib.mjs says why).
// Usage: node scripts/check-dist.mjs [--all] [action…]   --all: build even what is known fresh; actions: only these.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionNames, applyDependencyPatches, bundleActions, root } from './bundle-lib.mjs';
import { isKnownFresh, recordBuild } from './dist-inputs.mjs';

function listFiles(dir) {
  try {
    return readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => statSync(join(dir, f)).isFile())
      .sort();
  } catch {
    return [];
  }
}

function differingFiles(fresh, committed) {
  const files = new Set([...listFiles(fresh), ...listFiles(committed)]);
  return [...files].filter((f) => {
    try {
      return !readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f)));
    } catch {
      return true;
    }
  });
}

const committedDist = (name) => join(root, 'actions', name, 'dist');
const args = process.argv.slice(2);
const named = args.filter((arg) => arg !== '--all');
const names = named.length ? named : actionNames();
// Before judging freshness: the node_modules a build reads must be the one a clean `npm ci` makes.
applyDependencyPatches();
const toBuild = args.includes('--all') ? names : names.filter((name) => !isKnownFresh(name, committedDist(name)));
const startedAt = Date.now();
const scratch = mkdtempSync(join(tmpdir(), 'shipyard-dist-'));
const stale = [];
try {
  const inputs = await bundleActions(toBuild, (name) => join(scratch, name));
  for (const name of toBuild) {
    const differing = differingFiles(join(scratch, name), committedDist(name));
    if (differing.length === 0) recordBuild(name, inputs.get(name), committedDist(name), startedAt);
    else
      stale.push(
        `actions/${name}: dist/ is stale (${differing.join(', ')} differ${differing.length === 1 ? 's' : ''})`,
      );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (stale.length) {
  for (const line of stale) console.error(line);
  console.error('Run `npm run bundle` and commit the actions/*/dist changes.');
  process.exit(1);
}
const unchanged = names.length - toBuild.length;
console.log(
  `dist/ of ${names.length} actions matches the sources (${toBuild.length} rebuilt` +
    `${unchanged ? `; ${unchanged} unchanged since a build last matched them` : ''})`,
);
