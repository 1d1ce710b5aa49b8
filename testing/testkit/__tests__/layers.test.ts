import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './workflow-files';

// The layering of the shipped code (README.md, Layout): @shipyard/platform knows nothing of ECS, @shipyard/ecs builds
// on platform only, and each action uses both but never another action. Shipped sources never import test
// infrastructure (testkit, aws-sim, scenarios); tests may.

/** Where a module lives: `packages/<name>`, `actions/<name>` or `testing/<name>`, or undefined for a third-party or
 * node module. */
type Home = string | undefined;

const TEST_INFRASTRUCTURE_NAMES = ['testkit', 'aws-sim', 'scenarios'];
const TEST_INFRASTRUCTURE = TEST_INFRASTRUCTURE_NAMES.map((name) => `testing/${name}`);
const ACTIONS = readdirSync(join(ROOT, 'actions')).filter((name) =>
  existsSync(join(ROOT, 'actions', name, 'action.yml')),
);

/** Every module specifier a TypeScript file names: imports, re-exports, dynamic imports, require and jest.mock. */
function specifiers(source: string): string[] {
  const pattern =
    /(?:\bfrom\s+|\bimport\s+|\bimport\(\s*|\brequire\(\s*|\bjest\.(?:mock|requireActual|doMock)\(\s*)(['"])([^'"]+)\1/g;
  return [...source.matchAll(pattern)].map((match) => match[2]);
}

/** The folder (`packages/x`, `actions/y`, `testing/z`) a specifier written in `file` (relative to ROOT) points into. */
function homeOf(specifier: string, file: string): Home {
  const workspace = /^@shipyard\/([a-z-]+)/.exec(specifier)?.[1];
  if (workspace) {
    if (ACTIONS.includes(workspace)) return `actions/${workspace}`;
    return TEST_INFRASTRUCTURE_NAMES.includes(workspace) ? `testing/${workspace}` : `packages/${workspace}`;
  }
  if (!specifier.startsWith('.')) return undefined;
  const target = relative(ROOT, resolve(ROOT, dirname(file), specifier)).split('/');
  return ['packages', 'actions', 'testing'].includes(target[0]) ? `${target[0]}/${target[1]}` : undefined;
}

/** Why `file` (relative to ROOT, in `from`) may not import a module of `to`, or undefined when it may. */
function layerViolation(file: string, to: Home): string | undefined {
  const [group, name, part] = file.split('/');
  const from = `${group}/${name}`;
  if (!to || to === from) return undefined;
  const shipped = part === 'src';
  if (shipped && TEST_INFRASTRUCTURE.includes(to)) return `shipped code imports test infrastructure ${to}`;
  if (from === 'packages/platform' && to !== 'testing/testkit') return `platform imports ${to}`;
  if (from === 'packages/ecs' && !['packages/platform', 'testing/testkit'].includes(to)) return `ecs imports ${to}`;
  if (group === 'actions' && to.startsWith('actions/')) return `an action imports another action (${to})`;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((file) => /\.(ts|mts|cts|js|mjs)$/.test(file) && !file.split('/').includes('node_modules'))
    .map((file) => `${dir}/${file}`);
}

test('the rule catches each kind of crossing and allows the layering', () => {
  const violation = (file: string, specifier: string) => layerViolation(file, homeOf(specifier, file));
  expect(violation('packages/platform/src/log.ts', '@shipyard/ecs/names')).toBe('platform imports packages/ecs');
  expect(violation('packages/platform/src/log.ts', '../../ecs/src/names')).toBe('platform imports packages/ecs');
  expect(violation('packages/ecs/src/watch.ts', '@shipyard/rollback/inputs')).toBe('ecs imports actions/rollback');
  expect(violation('actions/rollback/src/main.ts', '../../ecs-deploy/src/watch')).toBe(
    'an action imports another action (actions/ecs-deploy)',
  );
  expect(violation('actions/rollback/__tests__/main.test.ts', '@shipyard/ecs-deploy/src/watch')).toBe(
    'an action imports another action (actions/ecs-deploy)',
  );
  expect(violation('actions/migrate/src/main.ts', '@shipyard/aws-sim/server')).toBe(
    'shipped code imports test infrastructure testing/aws-sim',
  );
  for (const [file, specifier] of [
    ['packages/ecs/src/watch.ts', '@shipyard/platform/poll'],
    ['packages/ecs/__tests__/watch.test.ts', '@shipyard/testkit/fake-client'],
    ['actions/rollback/src/main.ts', '@shipyard/ecs/rollback/start'],
    ['actions/rollback/src/main.ts', './inputs'],
    ['actions/rollback/__tests__/e2e.test.ts', '@shipyard/aws-sim/server'],
    ['actions/rollback/src/main.ts', '@aws-sdk/client-ecs'],
  ]) {
    expect(violation(file, specifier)).toBeUndefined();
  }
  expect(
    specifiers("import a from 'x';\nexport { b } from \"y\";\nawait import('z'); jest.mock('w', () => 1);"),
  ).toEqual(['x', 'y', 'z', 'w']);
});

test('platform never imports ecs, ecs only platform, actions never each other, shipped code no test tools', () => {
  const dirs = [
    ...['platform', 'ecs'].flatMap((name) => [`packages/${name}/src`, `packages/${name}/__tests__`]),
    ...ACTIONS.flatMap((name) => [`actions/${name}/src`, `actions/${name}/__tests__`]),
  ];
  const files = dirs.flatMap(sourceFiles);
  expect(files.length).toBeGreaterThan(100);
  const violations = files.flatMap((file) =>
    specifiers(readFileSync(join(ROOT, file), 'utf8')).flatMap((specifier) => {
      const why = layerViolation(file, homeOf(specifier, file));
      return why ? [`${file}: '${specifier}': ${why}`] : [];
    }),
  );
  expect(violations).toEqual([]);
});
