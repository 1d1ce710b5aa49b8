// Bundles each action's entry points (src/index.ts → dist/index.js, src/post.ts → dist/post/index.js) with ncc:
// minified, with third-party licenses. Used by `npm run bundle` and by the dist freshness check.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const root = join(dirname(new URL(import.meta.url).pathname), '..');

export function actionNames() {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
}

const entries = [
  ['index.ts', ''],
  ['post.ts', 'post'],
];

/** Bundles one action into outDir (emptied first). */
export async function bundleAction(name, outDir) {
  const ncc = require('@vercel/ncc');
  rmSync(outDir, { recursive: true, force: true });
  for (const [entry, sub] of entries) {
    const src = join(root, 'actions', name, 'src', entry);
    if (!existsSync(src)) continue;
    const { code, assets } = await ncc(src, {
      minify: true,
      license: 'licenses.txt',
      sourceMap: false,
      quiet: true,
      cache: false,
      target: 'es2022',
    });
    const dir = join(outDir, sub);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.js'), code);
    for (const [file, asset] of Object.entries(assets)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), asset.source);
    }
  }
}
