// Bundles each action with ncc into its dist/: one build for both of its steps, so they share the chunks they have in
// common (the AWS SDK above all) instead of each carrying its own copy. The build's entry is generated: it exports one
// loader per step, each a dynamic import of the step's program (src/index.ts, and src/post-index.ts where the action
// has a post step). dist/steps.js is that entry; dist/index.js and dist/post/index.js, the files action.yml names, only
// call its loaders. ncc minifies only the entry file, so the chunks it splits off for the dynamic imports (each step's
// code, the AWS SDK, loaded after inputs are valid) are minified here with swc. Used by `npm run bundle` and by the
// dist freshness check.
//
// Every bundle also yields its inputs as webpack saw them: each file read (sources, package.json files, node_modules)
// and each path looked for and not found (a file created there later would change module resolution). The freshness
// check keys a bundle by those, so it rebuilds only what changed (see dist-inputs.mjs).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * The steps an action can have: the program in src/ that runs it, the file in dist/ that action.yml names (its
 * launcher), and dist/steps.js as the launcher requires it.
 */
const STEPS = [
  { step: 'main', program: 'index.ts', launcher: 'index.js', bundle: './steps.js' },
  { step: 'post', program: 'post-index.ts', launcher: 'post/index.js', bundle: '../steps.js' },
];

/** The steps an action has. */
function stepsOf(actionDir) {
  return STEPS.filter(({ program }) => existsSync(join(actionDir, 'src', program)));
}

// swc, not terser: the same compression (bundles 0.1% smaller, start-up within bench/startup.ts's noise) for less
// than half the CPU (89 s instead of 204 to build all five actions, when each step still had a build of its own).
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

// ncc passes every module through its asset relocator, which parses it once more to find the files it reads by path
// (native add-ons, data files) and copies them next to the bundle: a third of a build's CPU. The actions share most of
// their modules (the AWS SDK's core, @actions/*, packages/). So a module the relocator returned unchanged, having
// emitted and depended on nothing, is passed through unchanged when a later build in this process meets it again (same
// path, text and options). The bundles come out byte for byte as without this (a test proves it): all five took 36–39 s
// of CPU with it, 43–48 s without.
const RELOCATOR = '@vercel/ncc/dist/ncc/loaders/relocate-loader.js';
/** What a loader does besides returning its output: a module whose relocation did any of it is relocated each time. */
const LOADER_EFFECTS = new Set([
  'emitFile',
  'addDependency',
  'addContextDependency',
  'addMissingDependency',
  'addBuildDependency',
  'emitWarning',
  'emitError',
]);
let relocationsShared = false;

function shareUnchangedRelocations() {
  if (relocationsShared) return;
  relocationsShared = true;
  const loaderPath = require.resolve(RELOCATOR);
  const relocate = require(loaderPath);
  const unchanged = new Set();
  function relocateOnce(source, map) {
    const text = String(source);
    const hash = createHash('sha256').update(text).digest('hex');
    const key = [this.resourcePath, this.resourceQuery, JSON.stringify(this.getOptions()), hash].join('\0');
    if (unchanged.has(key)) return this.callback(null, text, map);
    let effects = false;
    const recording =
      (callback) =>
      (error, result, ...rest) => {
        if (!error && !effects && String(result) === text) unchanged.add(key);
        return callback(error, result, ...rest);
      };
    const context = new Proxy(this, {
      get(target, property) {
        if (LOADER_EFFECTS.has(property)) effects = true;
        if (property === 'async') return () => recording(target.async());
        if (property === 'callback') return recording(target.callback);
        return Reflect.get(target, property, target);
      },
    });
    return relocate.call(context, source, map);
  }
  // webpack loads a loader by its path through require, so from this cache.
  require.cache[loaderPath].exports = Object.assign(relocateOnce, relocate);
}

/**
 * The imports webpack could not resolve, each with the files importing it. ncc builds the bundle anyway, leaving each
 * as a require at run time that fails with "Cannot find module" when the step reaches it; no action has one.
 */
function unresolvedImports(compilation) {
  const unresolved = [];
  for (const module of compilation.modules) {
    // ncc's stand-in module for each: its resource is ncc's @@notfound.js, queried with the import as written.
    const request = /[\\/]@@notfound\.js\?(.*)$/.exec(module.resource ?? '')?.[1];
    if (request === undefined) continue;
    const importers = [...compilation.moduleGraph.getIncomingConnections(module)]
      .map((connection) => connection.originModule?.resource)
      .filter((importer) => importer && importer !== module.resource);
    unresolved.push(`${request} (imported by ${[...new Set(importers)].join(', ')})`);
  }
  return unresolved;
}

/**
 * Bundles one action (actionsDir/name: this repository's, or a test's) into outDir (its own files only: the caller
 * empties outDir). Returns the files webpack read and the paths it looked for in vain.
 */
export async function bundleAction(name, outDir, actionsDir = join(root, 'actions')) {
  shareUnchangedRelocations();
  const ncc = require('@vercel/ncc');
  const actionDir = join(actionsDir, name);
  const steps = stepsOf(actionDir);
  // Generated at a fixed place, not in src/ (where the static checks, running meanwhile, would see it): its path is
  // then the same in every checkout, and so is the bundle. Its content follows from this script and src/'s programs.
  const entry = join(dirname(actionsDir), 'node_modules', '.cache', 'shipyard-bundle', name, 'steps.js');
  mkdirSync(dirname(entry), { recursive: true });
  writeFileSync(
    entry,
    steps
      .map(
        ({ step, program }) => `exports.${step} = () => import(${JSON.stringify(join(actionDir, 'src', program))});\n`,
      )
      .join(''),
  );
  const { code, assets, stats } = await ncc(entry, {
    minify: true,
    license: 'licenses.txt',
    sourceMap: false,
    quiet: true,
    cache: false,
    target: 'es2022',
    // Types are checked once for the whole repository by `npm test`'s typecheck step; ncc's own check would repeat it
    // for every action (most of a build's time). isolatedModules makes each file's output the same either way.
    transpileOnly: true,
    // A package's ES module build where it has one (the AWS SDK's dist-es): webpack then keeps only the commands an
    // action uses, where the CommonJS build brings every command of the client (start-up: bench/startup.ts).
    mainFields: ['module', 'main'],
  });
  const unresolved = unresolvedImports(stats.compilation);
  if (unresolved.length) throw new Error(`cannot resolve ${unresolved.join('; ')}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'steps.js'), code);
  for (const [file, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    const source = file.endsWith('.js') ? await minifyChunk(file, asset.source.toString()) : asset.source;
    writeFileSync(join(outDir, file), source);
  }
  for (const { step, launcher, bundle } of steps) {
    mkdirSync(dirname(join(outDir, launcher)), { recursive: true });
    writeFileSync(
      join(outDir, launcher),
      `// The ${step} step (scripts/bundle-lib.mjs): its code is in steps.js and the chunks it loads.\n` +
        `require('${bundle}').${step}();\n`,
    );
  }
  const { fileDependencies, buildDependencies, missingDependencies } = stats.compilation;
  // The generated entry is written anew by every build, so it is not an input: this script is (dist-inputs.mjs).
  const read = [...fileDependencies, ...buildDependencies].filter((file) => file !== entry);
  return { read: read.sort(), missing: [...missingDependencies].sort() };
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
 * Bundles the named actions (of actionsDir) into outDirOf(name) (each emptied first), one after another in this
 * process. ncc is single-threaded, but a process that has built one action builds the next with webpack's and the
 * parsers' code already compiled and optimised: all five took 43–48 s of CPU this way (before relocations were shared,
 * above), against 66–74 s in a process each, two at a time. Resolves to name → { read, missing }.
 */
export async function bundleActions(names, outDirOf, actionsDir = join(root, 'actions')) {
  const inputs = new Map();
  for (const name of names) {
    rmSync(outDirOf(name), { recursive: true, force: true });
    try {
      inputs.set(name, await bundleAction(name, outDirOf(name), actionsDir));
    } catch (error) {
      // webpack's message names a module, not the action whose build it broke.
      const cause = error instanceof Error ? error.message : String(error);
      throw new Error(`bundling actions/${name} failed: ${cause}`, { cause: error });
    }
  }
  return inputs;
}

// node bundle-lib.mjs <action> <outDir> [actionsDir] bundles one action and prints its inputs as JSON.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, outDir, actionsDir] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await bundleAction(name, outDir, actionsDir)));
}
