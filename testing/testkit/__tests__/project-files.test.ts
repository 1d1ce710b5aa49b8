import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ROOT, WORKFLOWS } from './workflow-files';

// The files a user of the project reads: one way to refer to Shipyard everywhere, the license package.json
// names, and Dependabot covering the dependencies the manifests declare.

/** Every text file under `dir` (no node_modules, no dist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((file) => !file.split('/').some((part) => part === 'node_modules' || part === 'dist'))
    .map((file) => join(dir, file))
    .filter((file) => statSync(file).isFile() && /\.(md|ya?ml|mjs|ts|json)$/.test(file));
}

const documents = [
  ...readdirSync(ROOT)
    .filter((file) => file.endsWith('.md'))
    .map((file) => join(ROOT, file)),
  ...filesUnder(join(ROOT, 'docs')),
  ...readdirSync(join(ROOT, 'actions')).map((name) => join(ROOT, 'actions', name, 'README.md')),
  ...filesUnder(join(ROOT, '.github')),
  ...filesUnder(join(ROOT, 'examples')),
].filter((file) => existsSync(file));

const ACTIONS = readdirSync(join(ROOT, 'actions')).filter((name) =>
  existsSync(join(ROOT, 'actions', name, 'action.yml')),
);
const REUSABLE = readdirSync(WORKFLOWS).filter((file) =>
  /\bworkflow_call\b/.test(readFileSync(join(WORKFLOWS, file), 'utf8')),
);
/** Anything that names Shipyard's actions or workflows as a `uses:` target, with whatever owner and ref. */
const REFERENCE =
  /(?:([\w.<>-]+)\/)?shipyard\/(actions\/([\w.<>-]+)|\.github\/workflows\/([\w.<>-]+))(?:@([^\s`'")]*))?/g;
/** `v1`, a full commit SHA, or a placeholder such as `<commit sha of v1.2.3>` / `<sha>`. */
const REF = /^(?:v1|[0-9a-f]{40}|<[^>]+>?)$/;

function referenceProblems(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const shown = relative(ROOT, file);
  return [...text.matchAll(REFERENCE)].flatMap((match) => {
    const [reference, owner, , action, workflow, ref] = match;
    const line = text.slice(0, match.index).split('\n').length;
    const problems: string[] = [];
    if (owner !== 'shipyard-dev') problems.push('owner is not shipyard-dev');
    if (action && !ACTIONS.includes(action) && action !== '<name>') problems.push(`no action ${action}`);
    if (workflow && !REUSABLE.includes(workflow) && workflow !== '<file>.yml') problems.push(`no workflow ${workflow}`);
    if (ref === undefined || !REF.test(ref)) problems.push(`ref is ${ref ?? 'missing'}, not @v1 or a commit SHA`);
    return problems.map((problem) => `${shown}:${line}: ${reference}: ${problem}`);
  });
}

test('every reference to Shipyard is shipyard-dev/shipyard/actions/<name>@v1 or …/.github/workflows/<file>.yml@v1 (or a SHA)', () => {
  expect(documents.length).toBeGreaterThan(10);
  expect(documents.flatMap(referenceProblems)).toEqual([]);
});

test('the reference check finds the forms the issue reported', () => {
  const wrong = [
    'uses: shipyard-dev/shipyard@v1',
    'uses: <owner>/shipyard/actions/ecs-deploy@v1',
    'uses: shipyard/actions/migrate@v1',
    'uses: shipyard-dev/shipyard/actions/ecs-deploy@main',
    'uses: shipyard-dev/shipyard/.github/workflows/deploy.yaml@v1',
  ];
  const found = wrong.map((line) => [...line.matchAll(REFERENCE)].length > 0);
  // `shipyard-dev/shipyard@v1` names no action or workflow: it is caught by the root-reference test below.
  expect(found).toEqual([false, true, true, true, true]);
  expect(documents.filter((file) => /shipyard-dev\/shipyard@/.test(readFileSync(file, 'utf8')))).toEqual([]);
});

test('LICENSE is the MIT license package.json names, for Shipyard contributors', () => {
  const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
  expect((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
  expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Shipyard contributors\n/);
  expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
});

describe('.github/dependabot.yml', () => {
  interface Update {
    'package-ecosystem': string;
    directory: string;
    groups?: Record<string, { patterns: string[]; 'update-types'?: string[] }>;
  }
  const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8')) as {
    version: number;
    updates: Update[];
  };
  const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')!;
  const globToRegExp = (glob: string) =>
    new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const groupOf = (name: string) =>
    Object.entries(npm.groups ?? {}).find(([, group]) => group.patterns.some((p) => globToRegExp(p).test(name)))?.[0];
  const declared = [
    'package.json',
    ...['packages', 'testing', 'actions'].flatMap((dir) =>
      readdirSync(join(ROOT, dir)).map((name) => join(dir, name, 'package.json')),
    ),
  ]
    .filter((file) => existsSync(join(ROOT, file)))
    .flatMap((file) => {
      const manifest = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, Record<string, string>>;
      return ['dependencies', 'devDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {}));
    });

  test('updates npm from the root (every workspace) and the workflows’ actions', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => [u['package-ecosystem'], u.directory])).toEqual([
      ['npm', '/'],
      ['github-actions', '/'],
    ]);
  });

  test('every AWS SDK package is in one group, every @actions package in another', () => {
    const aws = declared.filter((name) => name.startsWith('@aws-sdk/'));
    const toolkit = declared.filter((name) => name.startsWith('@actions/'));
    expect(aws.length).toBeGreaterThan(3);
    expect(toolkit.length).toBeGreaterThan(1);
    expect(new Set(aws.map(groupOf))).toEqual(new Set(['aws-sdk']));
    expect(new Set(toolkit.map(groupOf))).toEqual(new Set(['actions-toolkit']));
    expect(groupOf('jest')).toBeUndefined();
  });
});
