import { callerReference, nextCallerReference, runIdentity, type RunIdentity } from '../src/caller-reference';

const env = {
  GITHUB_REPOSITORY: 'acme/site',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'deploy',
  GITHUB_ACTION: 'invalidate',
};
const run = runIdentity(env, () => 'unused');
const paths = ['/app.js', '/index.html'];

describe('runIdentity', () => {
  test('reads the runner environment', () => {
    expect(run).toEqual({
      repository: 'acme/site',
      runId: '9876543210',
      runAttempt: '1',
      job: 'deploy',
      step: 'invalidate',
      fromGithub: true,
    });
  });

  test('outside GitHub Actions the run id is a one-off value, so nothing is reused', () => {
    expect(runIdentity({}, () => 'k3x9')).toEqual({
      repository: '',
      runId: 'local-k3x9',
      runAttempt: '1',
      job: '',
      step: '',
      fromGithub: false,
    });
  });
});

describe('callerReference', () => {
  const reference = callerReference('E2QWRUHAPOMQZL', paths, run, 'run');

  test('names the run and is short', () => {
    expect(reference).toMatch(/^shipyard-9876543210-[0-9a-f]{32}$/);
  });

  test('does not depend on the order of the paths', () => {
    expect(callerReference('E2QWRUHAPOMQZL', [...paths].reverse(), run, 'run')).toBe(reference);
  });

  test('a re-run (next attempt) gets the same reference in run scope and a new one in attempt scope', () => {
    const rerun: RunIdentity = { ...run, runAttempt: '2' };
    expect(callerReference('E2QWRUHAPOMQZL', paths, rerun, 'run')).toBe(reference);
    expect(callerReference('E2QWRUHAPOMQZL', paths, rerun, 'attempt')).not.toBe(
      callerReference('E2QWRUHAPOMQZL', paths, run, 'attempt'),
    );
  });

  test.each<[string, string, string[], RunIdentity]>([
    ['another distribution', 'E1111111111111', paths, run],
    ['other paths', 'E2QWRUHAPOMQZL', ['/app.js'], run],
    ['another run', 'E2QWRUHAPOMQZL', paths, { ...run, runId: '9876543211' }],
    ['another job', 'E2QWRUHAPOMQZL', paths, { ...run, job: 'deploy-eu' }],
    ['another step', 'E2QWRUHAPOMQZL', paths, { ...run, step: 'invalidate-again' }],
    ['another repository', 'E2QWRUHAPOMQZL', paths, { ...run, repository: 'acme/other' }],
    ['paths that join alike', 'E2QWRUHAPOMQZL', ['/app.js/index.html'], run],
  ])('differs for %s', (_, distribution, otherPaths, otherRun) => {
    expect(callerReference(distribution, otherPaths, otherRun, 'run')).not.toBe(reference);
  });
});

describe('nextCallerReference', () => {
  test.each<[number, string]>([
    [1, 'shipyard-1-abc'],
    [2, 'shipyard-1-abc-2'],
    [3, 'shipyard-1-abc-3'],
  ])('attempt %i → %s', (attempt, expected) => {
    expect(nextCallerReference('shipyard-1-abc', attempt)).toBe(expected);
  });
});
