// npm run bundle [action…]: rebuild the committed dist/ of every action (or of the named ones), one after another, and
// record what each was built from so the freshness check need not build it again.
import { join } from 'node:path';
import { actionNames, applyDependencyPatches, bundleActions, root } from './bundle-lib.mjs';
import { forgetBuild, recordBuild } from './dist-inputs.mjs';

const names = process.argv.slice(2).length ? process.argv.slice(2) : actionNames();
const unknown = names.filter((name) => !actionNames().includes(name));
if (unknown.length) {
  console.error(`No action named ${unknown.join(', ')}; the actions are ${actionNames().join(', ')}.`);
  process.exit(1);
}
const distOf = (name) => join(root, 'actions', name, 'dist');
const started = Date.now();
applyDependencyPatches();
names.forEach(forgetBuild);
const inputs = await bundleActions(names, distOf);
for (const name of names) recordBuild(name, inputs.get(name), distOf(name), started);
console.log(`bundled ${names.map((name) => `actions/${name}`).join(', ')} in ${Date.now() - started} ms`);
