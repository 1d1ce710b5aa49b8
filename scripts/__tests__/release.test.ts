import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile } from '../../testing/testkit/__tests__/workflow-files';
import { prepareRelease, verifyRelease } from '../release';

// The steps prepare-release.yml and release.yml run, on a small monorepo written fresh for each test: a root, a
// platform package and an action that depends on it, their lockfile and a changelog.

const ROOT = join(__dirname, '..', '..');
const REPO = 'https://github.com/shipyard-dev/shipyard';
const CHANGELOG = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '### Fixed',
  '',
  '- build-push: promotion needs no Docker.',
  '',
  '## [1.0.0] - 2026-12-06',
  '',
  '### Added',
  '',
  '- Everything.',
  '',
  `[Unreleased]: ${REPO}/compare/v1.0.0...HEAD`,
  `[1.0.0]: ${REPO}/releases/tag/v1.0.0`,
  '',
].join('\n');

const scratch = mkdtempSync(join(tmpdir(), 'release-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let count = 0;
function project(version = '1.0.0'): string {
  const dir = join(scratch, String(++count));
  const files: Record<string, unknown> = {
    'package.json': { name: 'shipyard', version, private: true, workspaces: ['packages/*', 'actions/*'] },
    'packages/platform/package.json': { name: '@shipyard/platform', version, private: true },
    'actions/a/package.json': {
      name: '@shipyard/a',
      version,
      private: true,
      dependencies: { '@shipyard/platform': version },
    },
    'package-lock.json': {
      name: 'shipyard',
      version,
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'shipyard', version, workspaces: ['packages/*', 'actions/*'] },
        'actions/a': { name: '@shipyard/a', version, dependencies: { '@shipyard/platform': version } },
        'node_modules/@shipyard/a': { resolved: 'actions/a', link: true },
        'node_modules/@shipyard/platform': { resolved: 'packages/platform', link: true },
        'packages/platform': { name: '@shipyard/platform', version },
      },
    },
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), `${JSON.stringify(content, null, 2)}\n`);
  }
  writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG);
  return dir;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');
const json = (dir: string, file: string) => JSON.parse(read(dir, file)) as Record<string, unknown>;

describe('prepareRelease', () => {
  test('bumps every package.json and the lockfile alike, and dates the changelog section', () => {
    const dir = project();
    const before = read(dir, 'package-lock.json');
    expect(prepareRelease(dir, 'minor', '2026-12-24')).toEqual({
      version: '1.1.0',
      notes: '### Fixed\n\n- build-push: promotion needs no Docker.\n',
    });
    expect(json(dir, 'actions/a/package.json')).toEqual({
      name: '@shipyard/a',
      version: '1.1.0',
      private: true,
      dependencies: { '@shipyard/platform': '1.1.0' },
    });
    expect(json(dir, 'package.json').version).toBe('1.1.0');
    expect(json(dir, 'packages/platform/package.json').version).toBe('1.1.0');
    expect(read(dir, 'package-lock.json')).toBe(before.replace(/"1\.0\.0"/g, '"1.1.0"'));
    expect(read(dir, 'CHANGELOG.md')).toContain('## [Unreleased]\n\n## [1.1.0] - 2026-12-24\n\n### Fixed\n');
    // What npm test checks on the release pull request.
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts/check-lockfile.mjs'), '--root', dir], {
      encoding: 'utf8',
    });
    expect(check.stdout).toBe('✔ package-lock.json matches every package.json\n');
  });

  test('changes nothing when the version is refused', () => {
    const dir = project();
    expect(() => prepareRelease(dir, '0.9.0', '2026-12-24')).toThrow('0.9.0 is not newer than the current version');
    expect(json(dir, 'package.json').version).toBe('1.0.0');
    expect(read(dir, 'CHANGELOG.md')).toBe(CHANGELOG);
  });
});

describe('verifyRelease', () => {
  test('a tag that matches the files: its notes and where the tags go', () => {
    const dir = project();
    prepareRelease(dir, 'patch', '2026-12-24');
    expect(verifyRelease(dir, 'v1.0.1', ['v1', 'v1.0.0', 'v1.0.1'])).toEqual({
      version: '1.0.1',
      notes: '### Fixed\n\n- build-push: promotion needs no Docker.\n',
      majorTag: 'v1',
      moveMajor: true,
      latest: true,
    });
  });

  test.each([
    ['v1', 'tag "v1" is not vX.Y.Z: only release tags such as v1.4.2 are released'],
    ['v1.2.0', 'tag v1.2.0 is on a commit whose package.json files say 1.0.0: tag the merge commit of the release'],
  ])('%s is refused', (tag, message) => {
    expect(() => verifyRelease(project(), tag, [])).toThrow(message);
  });
});

test('the command line writes the step outputs the runner reads (tsx, in a git repository)', () => {
  const dir = project();
  const output = join(dir, 'github-output');
  writeFileSync(output, '');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'one');
  git('tag', 'v1.0.0');
  const commit = git('rev-parse', 'HEAD');
  const run = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/release.ts'), 'verify', 'v1.0.0', '--root', dir],
    { encoding: 'utf8', env: { ...process.env, GITHUB_OUTPUT: output } },
  );
  expect(run.status).toBe(0);
  expect(parseOutputFile(read(dir, 'github-output'))).toEqual({
    version: '1.0.0',
    commit,
    'major-tag': 'v1',
    'move-major': 'true',
    latest: 'true',
    notes: '### Added\n\n- Everything.\n',
  });

  const refused = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/release.ts'), 'verify', 'v2', '--root', dir],
    { encoding: 'utf8' },
  );
  expect(refused.status).toBe(1);
  expect(refused.stdout).toBe('::error::tag "v2" is not vX.Y.Z: only release tags such as v1.4.2 are released\n');
});
