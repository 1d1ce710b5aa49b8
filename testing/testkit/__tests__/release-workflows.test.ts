import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reusableWorkflow, runStep, type Step } from './workflow-files';

// release.yml and prepare-release.yml: who may write, and their shell steps run with bash against a `gh` stand-in
// that records its arguments (the scripts they call are tested in scripts/__tests__).

const release = reusableWorkflow('release.yml');
const prepare = reusableWorkflow('prepare-release.yml');

const scratch = mkdtempSync(join(tmpdir(), 'release-workflows-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A `gh` that logs each call as one line and answers `release view` / `api …/git/ref/…` as told by $GH_EXISTS. */
function fakeGh(): { bin: string; calls: () => string[] } {
  const bin = mkdtempSync(join(scratch, 'bin-'));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  writeFileSync(
    join(bin, 'gh'),
    [
      '#!/bin/bash',
      `echo "$*" >> '${log}'`,
      'case "$1 $2" in',
      '  "release view") [ -n "$GH_EXISTS" ] ;;',
      '  "api repos/"*) if [[ "$2" == */git/ref/* ]]; then [ -n "$GH_EXISTS" ]; fi ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'gh'), 0o755);
  return { bin, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

function stepNamed(steps: Step[] | undefined, name: string): Step {
  const step = steps?.find((s) => s.name === name || s.id === name);
  if (!step?.run) throw new Error(`no run step ${name}`);
  return step;
}

function runWithGh(step: Step, env: Record<string, string>) {
  const gh = fakeGh();
  const runnerTemp = mkdtempSync(join(scratch, 'temp-'));
  const run = runStep('bash', ['-e', '-c', step.run!], {
    ...env,
    PATH: `${gh.bin}:${process.env.PATH}`,
    RUNNER_TEMP: runnerTemp,
    GH_TOKEN: 'token',
    GH_REPO: 'shipyard-dev/shipyard',
  });
  return { ...run, calls: gh.calls(), temp: runnerTemp };
}

describe('release.yml', () => {
  test('runs on vX.Y.Z tags only; only the publish job may write, and it checks nothing out', () => {
    expect((release.on as { push?: { tags?: string[] } }).push).toEqual({ tags: ['v[0-9]+.[0-9]+.[0-9]+'] });
    expect(release.permissions).toEqual({});
    const jobs = release.jobs;
    expect(Object.keys(jobs)).toEqual(['verify', 'test', 'publish']);
    expect(jobs.verify.permissions).toEqual({ contents: 'read' });
    expect(jobs.test.permissions).toEqual({ contents: 'read' });
    expect(jobs.publish.permissions).toEqual({ contents: 'write' });
    expect(jobs.publish.needs).toEqual(['verify', 'test']);
    expect(jobs.publish.steps?.some((step) => step.uses)).toBe(false);
    expect(jobs.test.steps?.map((step) => step.run).filter(Boolean)).toEqual(['bash .ci/run']);
  });

  const publish = release.jobs.publish.steps;
  const releaseEnv = { TAG: 'v1.2.0', NOTES: '### Fixed\n\n- A fix.\n', LATEST: 'true' };

  test('creates the release from the tag with the changelog notes', () => {
    const run = runWithGh(
      stepNamed(publish, 'Create the GitHub release (or update its notes on a re-run)'),
      releaseEnv,
    );
    expect(run.status).toBe(0);
    const notes = join(run.temp, 'notes.md');
    expect(run.calls).toEqual([
      'release view v1.2.0',
      `release create v1.2.0 --verify-tag --title v1.2.0 --notes-file ${notes} --latest=true`,
    ]);
    expect(readFileSync(notes, 'utf8')).toBe('### Fixed\n\n- A fix.\n\n');
  });

  test('a re-run updates the notes of the existing release', () => {
    const run = runWithGh(stepNamed(publish, 'Create the GitHub release (or update its notes on a re-run)'), {
      ...releaseEnv,
      LATEST: 'false',
      GH_EXISTS: '1',
    });
    expect(run.status).toBe(0);
    expect(run.calls.at(-1)).toBe(`release edit v1.2.0 --notes-file ${join(run.temp, 'notes.md')} --latest=false`);
  });

  test.each([
    [
      'moves an existing major tag',
      '1',
      'api --method PATCH repos/shipyard-dev/shipyard/git/refs/tags/v1 -f sha=abc -F force=true',
    ],
    [
      'creates the first one',
      '',
      'api --method POST repos/shipyard-dev/shipyard/git/refs -f ref=refs/tags/v1 -f sha=abc',
    ],
  ])('the major tag step %s', (_name, exists, call) => {
    const step = stepNamed(publish, 'Move the major tag to the release commit');
    expect(step.if).toBe("needs.verify.outputs.move-major == 'true'");
    const run = runWithGh(step, { MAJOR_TAG: 'v1', COMMIT: 'abc', GH_EXISTS: exists });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['api repos/shipyard-dev/shipyard/git/ref/tags/v1', call]);
    expect(run.stdout).toContain('v1 now points to abc');
  });
});

describe('prepare-release.yml', () => {
  test('asks for a version or bump kind; only its job may write', () => {
    expect(prepare.on.workflow_dispatch?.inputs?.version).toMatchObject({ required: true, default: 'patch' });
    expect(prepare.permissions).toEqual({});
    expect(prepare.jobs.prepare.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });

  test('the pull request step pushes release/vX.Y.Z with every change and opens the pull request', () => {
    const origin = join(scratch, 'origin.git');
    const work = join(scratch, 'work');
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
    git(scratch, 'init', '-q', '--bare', origin);
    mkdirSync(work);
    git(work, 'init', '-q', '-b', 'main');
    writeFileSync(join(work, 'package.json'), '{ "version": "1.0.0" }\n');
    git(work, 'add', '-A');
    git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'one');
    git(work, 'remote', 'add', 'origin', origin);
    git(work, 'push', '-q', 'origin', 'main');
    writeFileSync(join(work, 'package.json'), '{ "version": "1.1.0" }\n');
    writeFileSync(join(work, 'CHANGELOG.md'), '## [1.1.0] - 2026-12-24\n');

    const step = stepNamed(prepare.jobs.prepare.steps, 'Open the pull request');
    const gh = fakeGh();
    const runnerTemp = mkdtempSync(join(scratch, 'temp-'));
    const result = execFileSync('bash', ['-e', '-c', step.run!], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: `${gh.bin}:${process.env.PATH}`,
        HOME: scratch,
        RUNNER_TEMP: runnerTemp,
        VERSION: '1.1.0',
        NOTES: '### Fixed\n\n- A fix.\n',
        BASE: 'main',
      },
    });
    expect(result).toBe('');
    expect(git(origin, 'show', '--stat', '--format=%s', 'release/v1.1.0')).toMatch(
      /^Release v1\.1\.0\n\n CHANGELOG\.md +\| 1 \+\n package\.json +\| 2 \+-/,
    );
    expect(gh.calls()).toEqual([
      `pr create --base main --head release/v1.1.0 --title Release v1.1.0 --body-file ${runnerTemp}/body.md`,
    ]);
    const body = readFileSync(join(runnerTemp, 'body.md'), 'utf8');
    expect(body).toContain('Release v1.1.0. Notes, from CHANGELOG.md:\n\n### Fixed\n\n- A fix.\n');
    expect(body).toContain('git tag -a v1.1.0 -m v1.1.0 <merge commit> && git push origin v1.1.0');
  });
});
