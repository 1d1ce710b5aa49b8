// Fails when a committed dist/ differs from a fresh bundle of the sources, naming the action and the fix.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { actionNames, bundleAction, root } from './bundle-lib.mjs';

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

const scratch = mkdtempSync(join(tmpdir(), 'shipyard-dist-'));
const stale = [];
try {
  for (const name of actionNames()) {
    const fresh = join(scratch, name);
    const committed = join(root, 'actions', name, 'dist');
    await bundleAction(name, fresh);
    const files = new Set([...listFiles(fresh), ...listFiles(committed)]);
    const differing = [...files].filter((f) => {
      try {
        return !readFileSync(join(fresh, f)).equals(readFileSync(join(committed, f)));
      } catch {
        return true;
      }
    });
    if (differing.length)
      stale.push(
        `actions/${name}: dist/ is stale (${differing.join(', ')} differ${differing.length === 1 ? 's' : ''})`,
      );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (stale.length) {
  for (const line of stale) console.error(line);
  console.error(`Run \`npm run bundle\` and commit the ${relative(root, join(root, 'actions'))}/*/dist changes.`);
  process.exit(1);
}
console.log(`dist/ of ${actionNames().length} actions matches the sources`);
