// Bundles each action's entry points (src/index.ts → dist/index.js, src/post-index.ts → dist/post/index.js) with ncc:
// minified, with third-party licenses. ncc minifies only the entry file, so the chunks it splits off for dynamic
// imports (the AWS SDK, loaded after inputs are valid) are minified here with terser. Used by `npm run bundle` and
// by the dist freshness check.
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
  ['post-index.ts', 'post'],
];

async function minifyChunk(file, code) {
  const { minify } = require('terser');
  const result = await minify(code, { ecma: 2022, module: false, compress: { passes: 1 }, mangle: true });
  if (result.code === undefined) throw new Error(`terser produced nothing for ${file}`);
  return result.code;
}

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
      const source = file.endsWith('.js') ? await minifyChunk(file, asset.source.toString()) : asset.source;
      writeFileSync(join(dir, file), source);
    }
  }
}
