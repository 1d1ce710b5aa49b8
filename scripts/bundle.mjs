// npm run bundle [action…]: rebuild the committed dist/ of every action (or of the named ones).
import { join } from 'node:path';
import { actionNames, bundleAction, root } from './bundle-lib.mjs';

const names = process.argv.slice(2).length ? process.argv.slice(2) : actionNames();
for (const name of names) {
  const started = Date.now();
  await bundleAction(name, join(root, 'actions', name, 'dist'));
  console.log(`bundled actions/${name} in ${Date.now() - started} ms`);
}
