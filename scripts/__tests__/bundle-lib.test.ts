import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

// The bundle layout (scripts/bundle-lib.mjs), on throw-away actions bundled by the real script: one build holds both
// steps, and each file action.yml names starts its own step and no other, from any working directory (the runner
// starts a step in the workspace), loading later chunks as it goes.

const BUNDLE_LIB = join(__dirname, '..', 'bundle-lib.mjs');
const tempDir = tempDirs();

const SHARED = 'export const say = (words: string): void => console.log(words);\n';
const program = (module: string) => `import { run } from './${module}';\n\nvoid run();\n`;
const step = (name: string) =>
  "import { say } from './shared';\n\n" +
  'export async function run(): Promise<void> {\n' +
  `  say('${name} step ran');\n` +
  `  const { detail } = await import('./${name}-later');\n` +
  '  say(detail);\n' +
  '}\n';
const later = (name: string) => `export const detail = 'the ${name} step loaded a chunk';\n`;
const MAIN_ONLY = {
  'shared.ts': SHARED,
  'main.ts': step('main'),
  'main-later.ts': later('main'),
  'index.ts': program('main'),
};
const WITH_POST = {
  ...MAIN_ONLY,
  'post.ts': step('post'),
  'post-later.ts': later('post'),
  'post-index.ts': program('post'),
};

/** As each action's own: what ncc's TypeScript loader reads to compile the action's files. */
const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', isolatedModules: true },
  include: ['src'],
});

/** Writes actions/<name> in the project folder; its src/. */
function writeAction(project: string, name: string, sources: Record<string, string>) {
  const src = join(project, 'actions', name, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(project, 'actions', name, 'tsconfig.json'), TSCONFIG);
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(src, file), text);
  return src;
}

/** Writes actions/<name> in a new project folder and bundles it; the bundle's dist/ and what webpack read. */
function bundle(name: string, sources: Record<string, string>) {
  const src = writeAction(tempDir('shipyard-bundle-'), name, sources);
  return { ...rebundle(name, src), src };
}

/** Bundles the action whose sources are in src (actions/<name>/src) into its dist/ again. */
function rebundle(name: string, src: string) {
  const dist = join(src, '..', 'dist');
  const actions = join(src, '..', '..');
  // From the project's folder, as npm run bundle runs from the repository's: ncc copies only files below it.
  const result = spawnSync(process.execPath, [BUNDLE_LIB, name, dist, actions], {
    cwd: join(actions, '..'),
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const { read } = JSON.parse(result.stdout) as { read: string[] };
  return { dist, read };
}

/** Bundles the project's named actions in one process (bundleActions, as npm run bundle does) into outRoot/<name>. */
function bundleTogether(project: string, names: string[], outRoot: string) {
  const script =
    `import { bundleActions } from ${JSON.stringify(BUNDLE_LIB)};\n` +
    `import { join } from 'node:path';\n` +
    `const inputs = await bundleActions(${JSON.stringify(names)}, (name) => join(${JSON.stringify(outRoot)}, name), ` +
    `${JSON.stringify(join(project, 'actions'))});\n` +
    'process.stdout.write(JSON.stringify(Object.fromEntries(inputs)));\n';
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
}

/** Every file under dir, by its path in dir, with its content. */
function filesOf(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true }).map(String).sort();
  return Object.fromEntries(
    files
      .filter((file) => statSync(join(dir, file)).isFile())
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}

/** Runs a bundled file as the runner does: node <file>, in another folder. */
function start(file: string) {
  const result = spawnSync(process.execPath, [file], { cwd: tempDir('shipyard-bundle-cwd-'), encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('main and post in one bundle: each launcher runs its own step only, and the entry is no input', () => {
  const { dist, read, src } = bundle('both', WITH_POST);

  expect(readdirSync(dist).filter((file) => !file.endsWith('.index.js'))).toEqual(
    expect.arrayContaining(['index.js', 'post', 'steps.js']),
  );
  expect(start(join(dist, 'index.js'))).toEqual({
    status: 0,
    stdout: 'main step ran\nthe main step loaded a chunk\n',
    stderr: '',
  });
  expect(start(join(dist, 'post', 'index.js'))).toEqual({
    status: 0,
    stdout: 'post step ran\nthe post step loaded a chunk\n',
    stderr: '',
  });
  // The freshness check keys the bundle by what webpack read, and records a build only if none of that changed while
  // it ran (dist-inputs.mjs): so nothing a build writes, such as its generated entry, may be among it.
  expect(read).toEqual(expect.arrayContaining([join(src, 'index.ts'), join(src, 'post-index.ts')]));
  const rebuiltFrom = Date.now();
  const again = rebundle('both', src);
  expect(again.read).toEqual(read);
  expect(
    read.filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile() && statSync(file).mtimeMs >= rebuiltFrom),
  ).toEqual([]);
});

test('an action without a post step: no post launcher, and main runs', () => {
  const { dist } = bundle('main-only', MAIN_ONLY);

  expect(existsSync(join(dist, 'post'))).toBe(false);
  expect(start(join(dist, 'index.js'))).toEqual({
    status: 0,
    stdout: 'main step ran\nthe main step loaded a chunk\n',
    stderr: '',
  });
});

test('actions bundled one after another in one process come out as each bundled alone', () => {
  // npm run bundle and the freshness check build every action in one process (bundle-lib.mjs's bundleActions), and
  // a later build passes modules an earlier one relocated unchanged through as they are: nothing a build leaves behind
  // may change the next. Both actions use the same two modules of packages/common: one the relocator leaves as it is,
  // and one it rewrites (it reads a file next to itself, which the relocator copies into each dist/).
  const project = tempDir('shipyard-bundle-');
  const common = join(project, 'packages', 'common');
  mkdirSync(common, { recursive: true });
  writeFileSync(join(common, 'say.ts'), SHARED);
  writeFileSync(join(common, 'notice.txt'), 'read from next to the bundle\n');
  writeFileSync(
    join(common, 'notice.ts'),
    "import { readFileSync } from 'node:fs';\nimport { join } from 'node:path';\n\n" +
      "export const notice = (): string => readFileSync(join(__dirname, 'notice.txt'), 'utf8').trim();\n",
  );
  const usesCommon = (name: string) => ({
    'index.ts':
      "import { say } from '../../../packages/common/say';\n" +
      "import { notice } from '../../../packages/common/notice';\n\n" +
      `say('${name} ran');\nsay(notice());\n`,
  });
  const sources = {
    first: writeAction(project, 'first', usesCommon('first')),
    second: writeAction(project, 'second', usesCommon('second')),
  };
  const together = tempDir('shipyard-bundle-together-');
  const result = bundleTogether(project, Object.keys(sources), together);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const inputs = JSON.parse(result.stdout) as Record<string, { read: string[] }>;

  for (const [name, src] of Object.entries(sources)) {
    expect(start(join(together, name, 'index.js'))).toEqual({
      status: 0,
      stdout: `${name} ran\nread from next to the bundle\n`,
      stderr: '',
    });
    const alone = rebundle(name, src);
    expect(filesOf(join(together, name))).toEqual(filesOf(alone.dist));
    expect(inputs[name].read).toEqual(alone.read);
  }
});

test('an action that cannot be bundled fails the build, named, and the actions after it are not built', () => {
  const project = tempDir('shipyard-bundle-');
  writeAction(project, 'broken', { 'index.ts': 'export const = 1;\n' });
  writeAction(project, 'fine', MAIN_ONLY);
  const out = tempDir('shipyard-bundle-together-');

  const result = bundleTogether(project, ['broken', 'fine'], out);

  expect(result.status).toBe(1);
  expect(result.stderr).toContain('bundling actions/broken failed: Module parse failed: Unexpected token (1:13)');
  expect(existsSync(join(out, 'fine'))).toBe(false);
});

test('an import that resolves to nothing fails the build, naming it and its importer', () => {
  // ncc would bundle it as a require that fails with "Cannot find module" only when the step reaches it.
  const project = tempDir('shipyard-bundle-');
  const src = writeAction(project, 'typo', { 'index.ts': "import { say } from './sahred';\n\nsay('never');\n" });

  const result = bundleTogether(project, ['typo'], tempDir('shipyard-bundle-together-'));

  expect(result.status).toBe(1);
  expect(result.stderr).toContain(
    `bundling actions/typo failed: cannot resolve ./sahred (imported by ${join(src, 'index.ts')})`,
  );
});
