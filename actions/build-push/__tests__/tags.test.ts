import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  computeTags,
  gitContextFromEnv,
  ociLabels,
  sanitizeTag,
  semverTags,
  type GitContext,
  type TagOptions,
} from '../src/tags';
import { tempDirs } from '@shipyard/testkit/temp-dirs';

const tempDir = tempDirs();

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const NONE: TagOptions = {
  explicit: [],
  sha: false,
  shaLength: 7,
  environment: '',
  branch: false,
  semver: false,
  latest: false,
};
const git = (ref: string, sha = SHA): GitContext => ({
  sha,
  ref,
  serverUrl: 'https://github.com',
  repository: 'acme/rideshare',
  commitTime: new Date('2026-01-02T03:04:05Z'),
});

describe('computeTags', () => {
  test.each<[string, Partial<TagOptions>, string, string[]]>([
    ['sha only (default)', { sha: true }, 'refs/heads/main', ['sha-6dcb09b']],
    ['sha length', { sha: true, shaLength: 12 }, 'refs/heads/main', ['sha-6dcb09b5b578']],
    [
      'Rideshare <env>-<sha> first',
      { sha: true, environment: 'production' },
      'refs/heads/main',
      [`production-${SHA}`, 'sha-6dcb09b'],
    ],
    [
      'explicit tags come first',
      { explicit: ['stable', 'v2'], sha: true },
      'refs/heads/main',
      ['stable', 'v2', 'sha-6dcb09b'],
    ],
    ['branch, sanitised', { branch: true }, 'refs/heads/feature/Add_thing', ['feature-Add_thing']],
    ['pull request ref', { branch: true }, 'refs/pull/42/merge', ['pr-42']],
    ['branch on a tag ref adds nothing', { sha: true, branch: true }, 'refs/tags/v1.0.0', ['sha-6dcb09b']],
    ['semver from a tag ref', { sha: true, semver: true }, 'refs/tags/v1.2.3', ['sha-6dcb09b', '1.2.3', '1.2', '1']],
    ['semver on a branch ref adds nothing', { semver: true, sha: true }, 'refs/heads/main', ['sha-6dcb09b']],
    ['non-semver git tag as is', { semver: true }, 'refs/tags/release/2026-01', ['release-2026-01']],
    ['latest only when asked', { sha: true, latest: true }, 'refs/heads/main', ['sha-6dcb09b', 'latest']],
    ['duplicates dropped', { explicit: ['latest'], latest: true }, 'refs/heads/main', ['latest']],
    [
      'everything, in order',
      { explicit: ['x'], sha: true, environment: 'staging', semver: true, branch: true, latest: true },
      'refs/tags/v2.0.0',
      ['x', `staging-${SHA}`, 'sha-6dcb09b', '2.0.0', '2.0', '2', 'latest'],
    ],
  ])('%s', (_name, options, ref, expected) => {
    expect(computeTags({ ...NONE, ...options }, git(ref))).toEqual(expected);
  });

  test('no tag at all is an error', () => {
    expect(() => computeTags(NONE, git('refs/heads/main'))).toThrow('No tag to push');
  });

  test('sha tags need a commit id', () => {
    expect(() => computeTags({ ...NONE, sha: true }, git('refs/heads/main', ''))).toThrow(
      'Cannot compute sha tags: GITHUB_SHA is not set.',
    );
  });

  test('explicit tags do not need a commit id', () => {
    expect(computeTags({ ...NONE, explicit: ['v1'] }, git('', ''))).toEqual(['v1']);
  });
});

describe('semverTags', () => {
  test.each<[string, string[] | undefined]>([
    ['v1.2.3', ['1.2.3', '1.2', '1']],
    ['1.2.3', ['1.2.3', '1.2', '1']],
    ['v0.4.1', ['0.4.1', '0.4']],
    ['v1.2.3-rc.1', ['1.2.3-rc.1']],
    ['v1.2.3+build.7', ['1.2.3-build.7', '1.2', '1']],
    ['v1.2', undefined],
    ['v01.2.3', undefined],
    ['release', undefined],
  ])('%j → %j', (name, expected) => {
    expect(semverTags(name)).toEqual(expected);
  });
});

describe('sanitizeTag', () => {
  test.each([
    ['feature/login', 'feature-login'],
    ['-.leading', 'leading'],
    ['a@b#c', 'a-b-c'],
    ['x'.repeat(200), 'x'.repeat(128)],
    ['trailing/', 'trailing'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeTag(raw)).toBe(expected);
  });
});

describe('ociLabels', () => {
  test('source, revision, created, title, version; extra labels win', () => {
    const labels = ociLabels(
      git('refs/heads/main'),
      { title: 'rideshare-api', version: 'sha-6dcb09b', created: new Date('2026-01-02T03:04:05Z') },
      { 'org.opencontainers.image.title': 'Rideshare API', team: 'mobility' },
    );
    expect(labels).toEqual({
      'org.opencontainers.image.title': 'Rideshare API',
      'org.opencontainers.image.version': 'sha-6dcb09b',
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.source': 'https://github.com/acme/rideshare',
      'org.opencontainers.image.revision': SHA,
      team: 'mobility',
    });
  });
});

describe('gitContextFromEnv', () => {
  test('reads GITHUB_* and the head commit time from the event payload', () => {
    const eventPath = join(tempDir('tags-'), 'event.json');
    writeFileSync(eventPath, JSON.stringify({ head_commit: { timestamp: '2026-03-04T05:06:07+02:00' } }));
    const context = gitContextFromEnv({
      GITHUB_SHA: SHA,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SERVER_URL: 'https://ghe.example.com',
      GITHUB_REPOSITORY: 'acme/web',
      GITHUB_EVENT_PATH: eventPath,
    });
    expect(context).toEqual({
      sha: SHA,
      ref: 'refs/heads/main',
      serverUrl: 'https://ghe.example.com',
      repository: 'acme/web',
      commitTime: new Date('2026-03-04T03:06:07Z'),
    });
  });

  test('without a payload the commit time is now', () => {
    const now = new Date('2026-05-05T00:00:00Z');
    expect(gitContextFromEnv({}, now).commitTime).toBe(now);
  });
});
