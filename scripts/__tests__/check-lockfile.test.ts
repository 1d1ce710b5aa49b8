import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/check-lockfile.mjs on a small project (a root and one workspace with one registry dependency), written
// fresh for each case: the check must pass in sync and name the disagreement otherwise. npm ls runs offline.

const SCRIPT = join(__dirname, '..', 'check-lockfile.mjs');
const INTEGRITY = 'sha512-Jv33IN09XLO+0HS79aaODsvIRyduiF7NY/F6LYeK5oeUmrsz7aFdRphQjFoESF4jS7lMauDOttKALcpapVDIAg==';

interface Project {
  root: Record<string, unknown>;
  workspace: Record<string, unknown>;
  lock: { lockfileVersion: number; packages: Record<string, Record<string, unknown>> };
}

function inSync(): Project {
  const root = { name: 'demo', license: 'MIT', workspaces: ['packages/*'], engines: { node: '>=20' } };
  const workspace = { name: '@demo/a', version: '1.0.0', dependencies: { '@actions/io': '^2.0.0' } };
  return {
    root,
    workspace,
    lock: {
      lockfileVersion: 3,
      packages: {
        '': { name: 'demo', license: 'MIT', workspaces: ['packages/*'], engines: { node: '>=20' } },
        'node_modules/@actions/io': {
          version: '2.0.0',
          resolved: 'https://registry.npmjs.org/@actions/io/-/io-2.0.0.tgz',
          integrity: INTEGRITY,
          license: 'MIT',
        },
        'node_modules/@demo/a': { resolved: 'packages/a', link: true },
        'packages/a': { name: '@demo/a', version: '1.0.0', dependencies: { '@actions/io': '^2.0.0' } },
      },
    },
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'check-lockfile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
function check(change: (project: Project) => void) {
  const project = inSync();
  change(project);
  const dir = join(scratch, String(++count));
  mkdirSync(join(dir, 'packages', 'a'), { recursive: true });
  const write = (file: string, value: unknown) => writeFileSync(join(dir, file), `${JSON.stringify(value, null, 2)}\n`);
  write('package.json', project.root);
  write('packages/a/package.json', project.workspace);
  write('package-lock.json', project.lock);
  const run = spawnSync(process.execPath, [SCRIPT, '--root', dir], { encoding: 'utf8' });
  return { status: run.status, problems: run.stdout.split('\n').filter((line) => line.startsWith('✘ ')) };
}

test('passes when every package.json and the lockfile agree', () => {
  expect(check(() => undefined)).toEqual({ status: 0, problems: [] });
});

test.each<[string, (project: Project) => void, string[]]>([
  [
    'a range changed in package.json only (still satisfied: npm ci accepts it, npm install rewrites the lockfile)',
    (p) => (p.workspace.dependencies = { '@actions/io': '^2.0.0 || ^3.0.0' }),
    [
      '✘ packages/a/package.json: dependencies "@actions/io" is "^2.0.0 || ^3.0.0" but package-lock.json records "^2.0.0"',
    ],
  ],
  [
    'a range the locked version does not satisfy',
    (p) => (p.workspace.dependencies = { '@actions/io': '^3.0.0' }),
    [
      '✘ packages/a/package.json: dependencies "@actions/io" is "^3.0.0" but package-lock.json records "^2.0.0"',
      '✘ npm ls over the lockfile failed:',
    ],
  ],
  [
    'a dependency added without installing it',
    (p) => (p.root.devDependencies = { 'left-pad': '^1.3.0' }),
    [
      '✘ package.json: devDependencies "left-pad" is "^1.3.0" but package-lock.json records not set',
      '✘ npm ls over the lockfile failed:',
    ],
  ],
  [
    'a version bumped in package.json only, and a workspace the lockfile does not know',
    (p) => {
      p.workspace.version = '1.1.0';
      p.lock.packages['packages/b'] = { name: '@demo/b', version: '1.0.0' };
    },
    [
      '✘ packages/a/package.json: "version" is "1.1.0" but package-lock.json records "1.0.0"',
      '✘ package-lock.json records workspace packages/b, which is not on disk',
    ],
  ],
])('fails on %s', (_name, change, problems) => {
  const result = check(change);
  expect(result.status).toBe(1);
  expect(result.problems).toEqual(problems);
});
