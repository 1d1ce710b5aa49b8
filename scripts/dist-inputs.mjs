// What a dist/ was built from, recorded when a build is known to match it (after `npm run bundle`, or after the
// freshness check compared a fresh build byte for byte), so the next check can skip the build when none of it
// changed. The key hashes everything the bundle can depend on: the content of every file webpack read for it
// (sources, package.json files, node_modules), the absence of every path it looked for in vain (a file created there
// would change module resolution), the tsconfig files, the lockfile, node, ncc and swc versions, and the build
// scripts. The record also holds the hash of the dist/ it vouches for, so a hand-edited dist/ is rebuilt too.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './bundle-lib.mjs';

const require = createRequire(import.meta.url);
const RECORDS = join(root, 'node_modules', '.cache', 'shipyard-dist');

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** A file's content hash; webpack also lists some folders it read (their presence is what counts). */
function contentHash(path) {
  if (!existsSync(path)) return 'absent';
  return statSync(path).isDirectory() ? 'folder' : sha256(readFileSync(path));
}

/** Inputs of every bundle, whatever webpack reports: the toolchain, its settings and the build scripts. */
function commonInputs() {
  const tsconfigs = [
    root,
    ...['actions', 'packages'].flatMap((group) => readdirSync(join(root, group)).map((d) => join(root, group, d))),
  ].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => /^tsconfig.*\.json$/.test(f))
      .map((f) => join(dir, f)),
  );
  return [
    ...tsconfigs,
    join(root, 'package-lock.json'),
    join(root, 'scripts', 'bundle-lib.mjs'),
    fileURLToPath(import.meta.url),
    require.resolve('@vercel/ncc/package.json'),
    require.resolve('@swc/core/package.json'),
  ];
}

/** The hash of everything a bundle with these inputs depends on, as they are now. */
export function inputsKey({ read, missing }) {
  const hash = createHash('sha256').update(`node ${process.version}\n`);
  for (const file of [...commonInputs(), ...read]) hash.update(`${file}\0${contentHash(file)}\n`);
  for (const path of missing) hash.update(`${path}\0${existsSync(path) ? 'present' : 'absent'}\n`);
  return hash.digest('hex');
}

/** The hash of a dist/ folder: every file's relative path and content. */
export function distHash(dir) {
  const hash = createHash('sha256');
  for (const file of listFiles(dir)) hash.update(`${file}\0${sha256(readFileSync(join(dir, file)))}\n`);
  return hash.digest('hex');
}

const recordFile = (name) => join(RECORDS, `${name}.json`);

export function forgetBuild(name) {
  rmSync(recordFile(name), { force: true });
}

/**
 * Records that distDir is what a build with these inputs produces. Not when an input changed after `startedAt`,
 * during the build: the bundle may hold the old content while the key would hash the new one.
 */
export function recordBuild(name, inputs, distDir, startedAt) {
  forgetBuild(name);
  const changedMeanwhile = [...commonInputs(), ...inputs.read].find(
    (file) => existsSync(file) && !statSync(file).isDirectory() && statSync(file).mtimeMs >= startedAt,
  );
  if (changedMeanwhile) {
    console.warn(
      `actions/${name}: ${changedMeanwhile} changed during the build; its dist/ is checked again next time.`,
    );
    return;
  }
  mkdirSync(RECORDS, { recursive: true });
  const record = { key: inputsKey(inputs), dist: distHash(distDir), ...inputs };
  writeFileSync(recordFile(name), JSON.stringify(record));
}

/** Whether distDir is what the recorded build produced, and nothing that build depended on changed since. */
export function isKnownFresh(name, distDir) {
  let record;
  try {
    record = JSON.parse(readFileSync(recordFile(name), 'utf8'));
  } catch {
    return false;
  }
  return record.dist === distHash(distDir) && record.key === inputsKey(record);
}
