// Bundles each action's entry points (src/index.ts → dist/index.js, src/post-index.ts → dist/post/index.js) with ncc:
// minified, with third-party licenses. ncc minifies only the entry file, so the chunks it splits off for dynamic
// imports (the AWS SDK, loaded after inputs are valid) are minified here with swc. Used by `npm run bundle` and
// by the dist freshness check.
//
// Every bundle also yields its inputs as webpack saw them: each file read (sources, package.json files, node_modules)
// and each path looked for and not found (a file created there later would change module resolution). The freshness
// check keys a bundle by those, so it rebuilds only what changed (see dist-inputs.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function actionNames() {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'src', 'index.ts')))
    .map((d) => d.name)
    .sort();
}

/** Entry file in src/ → folder under dist/ holding its index.js. */
const ENTRIES = [
  ['index.ts', ''],
  ['post-index.ts', 'post'],
];

/** The entry points an action has. */
export function entriesOf(name) {
  return ENTRIES.filter(([entry]) => existsSync(join(root, 'actions', name, 'src', entry)));
}

// swc, not terser: the same compression (the five actions' bundles came out 0.1% smaller in all, -1.0% to +1.3% each;
// start-up, bench/startup.ts, within its noise), and building all ten entry points, the longest step of a fresh
// clone's npm test, takes 89 s of CPU instead of 204.
async function minifyChunk(file, code) {
  const { minify } = require('@swc/core');
  const result = await minify(code, {
    ecma: 2022,
    module: false,
    compress: { passes: 1 },
    mangle: true,
    // As terser: license comments (/*!, @license, @preserve) stay.
    format: { comments: 'some' },
  });
  if (!result.code) throw new Error(`swc produced nothing for ${file}`);
  return result.code;
}

/**
 * Bundles one entry point of an action into outDir (its own files only: the caller empties outDir). Returns the
 * files webpack read and the paths it looked for in vain.
 */
export async function bundleEntry(name, entry, outDir) {
  const ncc = require('@vercel/ncc');
  const [, sub] = ENTRIES.find(([file]) => file === entry);
  const { code, assets, stats } = await ncc(join(root, 'actions', name, 'src', entry), {
    minify: true,
    license: 'licenses.txt',
    sourceMap: false,
    quiet: true,
    cache: false,
    target: 'es2022',
    // Types are checked once for the whole repository by `npm test`'s typecheck step; ncc's own check would repeat it
    // for every entry point (most of a build's time). isolatedModules makes each file's output the same either way.
    transpileOnly: true,
    // A package's ES module build where it has one (the AWS SDK's dist-es): webpack then keeps only the commands an
    // action uses, where the CommonJS build brings every command of the client (start-up: bench/startup.ts).
    mainFields: ['module', 'main'],
  });
  const dir = join(outDir, sub);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    const source = file.endsWith('.js') ? await minifyChunk(file, asset.source.toString()) : asset.source;
    writeFileSync(join(dir, file), source);
  }
  const { fileDependencies, buildDependencies, missingDependencies } = stats.compilation;
  return { read: [...fileDependencies, ...buildDependencies].sort(), missing: [...missingDependencies].sort() };
}

/**
 * Applies patches/ to node_modules (patch-package; already applied ones are left as they are). `npm ci` does this in
 * its postinstall, but a node_modules installed before a patch was added would otherwise build, and vouch for, bundles
 * a clean clone does not produce.
 */
export function applyDependencyPatches() {
  const result = spawnSync(process.execPath, [require.resolve('patch-package/index.js'), '--error-on-fail'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`patch-package failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Bundles the named actions into outDirOf(name) (each emptied first), each entry point in its own process and up to
 * one process per core at a time: ncc is single-threaded. Resolves to name → { read, missing } of all its entries.
 */
export async function bundleActions(names, outDirOf) {
  const jobs = names.flatMap((name) => entriesOf(name).map(([entry]) => ({ name, entry })));
  for (const name of names) rmSync(outDirOf(name), { recursive: true, force: true });
  const inputs = new Map(names.map((name) => [name, { read: new Set(), missing: new Set() }]));
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const found = await bundleInChild(job.name, job.entry, outDirOf(job.name));
      found.read.forEach((file) => inputs.get(job.name).read.add(file));
      found.missing.forEach((file) => inputs.get(job.name).missing.add(file));
    }
  };
  const workers = Math.max(1, Math.min(availableParallelism(), jobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return new Map(
    [...inputs].map(([name, { read, missing }]) => [name, { read: [...read].sort(), missing: [...missing].sort() }]),
  );
}

function bundleInChild(name, entry, outDir) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), name, entry, outDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout));
      else reject(new Error(`bundling actions/${name}/src/${entry} failed (exit ${code})`));
    });
  });
}

// As a child process: node bundle-lib.mjs <action> <entry> <outDir> prints the entry's inputs as JSON.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, entry, outDir] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await bundleEntry(name, entry, outDir)));
}
