// Lockfile check, run by `npm test`: fails when the package.json files (root and workspaces) and package-lock.json
// disagree, i.e. when `npm ci` would refuse the lockfile or `npm install` would rewrite it. Offline and fast:
//   1. what npm copies from each package.json into the lockfile (name, version, dependency ranges, engines, bin,
//      workspaces …) must be identical, and every workspace on disk must be in the lockfile and the reverse;
//   2. `npm ls --package-lock-only --all --offline` (npm's own resolver over the lockfile, no node_modules, no
//      network): every declared range is satisfied by the locked version, nothing is missing or invalid.
// Usage: node scripts/check-lockfile.mjs [--root <dir>]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';

const { values: options } = parseArgs({ options: { root: { type: 'string' } } });
const root = resolve(options.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const FIX = 'run `npm install` and commit package-lock.json';

// The fields npm records from a root or workspace package.json (arborist's shrinkwrap metadata keys, minus the
// ones only registry packages have).
const RECORDED = [
  'name',
  'version',
  'license',
  'engines',
  'os',
  'cpu',
  'bin',
  'workspaces',
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
];

/** A package.json value as npm writes it into the lockfile: empty values dropped, license by type, bin as a map. */
function asRecorded(pkg, field) {
  const value = pkg[field];
  if (value === undefined || value === null || value === '' || value === false) return undefined;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (field === 'license' && typeof value === 'object') return value.type;
  if (field === 'bin' && typeof value === 'string') return { [String(pkg.name).replace(/^@[^/]+\//, '')]: value };
  return value;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Workspace folders the root's globs name; only `dir` and `dir/*` are used by npm projects like this one. */
function workspaceDirs(patterns) {
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return existsSync(join(root, pattern, 'package.json')) ? [pattern] : [];
    const parent = pattern.slice(0, -2);
    if (/[*?[\]{}!]/.test(parent)) throw new Error(`workspace pattern ${pattern} is not supported by this check`);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent))
      .sort()
      .map((name) => `${parent}/${name}`)
      .filter((dir) => existsSync(join(root, dir, 'package.json')));
  });
}

const show = (value) => JSON.stringify(value) ?? 'not set';

/** One line per differing entry for dependency maps (the usual case), else one line for the field. */
function differences(file, field, declared, locked) {
  if (!field.endsWith('ependencies') || Array.isArray(declared) || Array.isArray(locked)) {
    return [`${file}: "${field}" is ${show(declared)} but package-lock.json records ${show(locked)}`];
  }
  const names = [...new Set([...Object.keys(declared ?? {}), ...Object.keys(locked ?? {})])].sort();
  return names
    .filter((name) => declared?.[name] !== locked?.[name])
    .map(
      (name) =>
        `${file}: ${field} "${name}" is ${show(declared?.[name])} but package-lock.json records ` +
        `${show(locked?.[name])}`,
    );
}

const problems = [];
const lockFile = join(root, 'package-lock.json');
if (!existsSync(lockFile)) {
  problems.push(`package-lock.json is missing: ${FIX}`);
} else {
  const lock = readJson(lockFile);
  const manifest = readJson(join(root, 'package.json'));
  if (lock.lockfileVersion !== 3) problems.push(`package-lock.json is lockfileVersion ${lock.lockfileVersion}, not 3`);
  const entries = lock.packages ?? {};
  const workspaces = workspaceDirs(manifest.workspaces ?? []);
  for (const dir of ['', ...workspaces]) {
    const file = dir ? `${dir}/package.json` : 'package.json';
    const pkg = dir ? readJson(join(root, file)) : manifest;
    const entry = entries[dir];
    if (!entry) {
      problems.push(`${file}: workspace ${dir} is not in package-lock.json`);
      continue;
    }
    // The root entry's name is the folder's when package.json has none; a workspace's is always recorded.
    for (const field of RECORDED) {
      const declared = asRecorded(pkg, field);
      const locked = entry[field] ?? undefined;
      if (field === 'name' && dir === '' && declared === undefined) continue;
      if (!isDeepStrictEqual(declared, locked)) problems.push(...differences(file, field, declared, locked));
    }
  }
  const lockedWorkspaces = Object.keys(entries).filter((key) => key !== '' && !key.split('/').includes('node_modules'));
  for (const dir of lockedWorkspaces) {
    if (!workspaces.includes(dir)) problems.push(`package-lock.json records workspace ${dir}, which is not on disk`);
  }

  // npm's own view: ranges satisfied, nothing missing or invalid. `npm ls` prints the whole tree on stdout and the
  // problems as "npm error" lines on stderr.
  const ls = spawnSync('npm', ['ls', '--package-lock-only', '--all', '--offline', '--no-audit', '--no-fund'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (ls.error) problems.push(`npm ls could not run: ${ls.error.message}`);
  else if (ls.status !== 0) {
    const said = ls.stderr
      .split('\n')
      .filter((line) => /^npm error (?:missing|invalid|extraneous|peer)/.test(line))
      .map((line) => line.replace(/^npm error /, ''));
    problems.push(
      `npm ls over the lockfile failed:${said.length ? `\n  ${said.join('\n  ')}` : ` ${ls.stderr.trim()}`}`,
    );
  }
}

for (const problem of problems) console.log(`✘ ${problem}`);
if (problems.length) console.log(`package.json and package-lock.json disagree: ${FIX}.`);
else console.log('✔ package-lock.json matches every package.json');
process.exitCode = problems.length ? 1 : 0;
