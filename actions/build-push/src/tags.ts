import { readFileSync } from 'node:fs';
import { ConfigError } from '@shipyard/platform/errors';

/** What the tags are computed from: the runner's GITHUB_* variables. */
export interface GitContext {
  sha: string;
  /** `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/12/merge`. */
  ref: string;
  /** `https://github.com` */
  serverUrl: string;
  /** `owner/name` */
  repository: string;
  /** The pushed commit's time (push events), else now: the `created` label, stable across rebuilds of a commit. */
  commitTime: Date;
}

export interface TagOptions {
  /** Tags given as is, first. */
  explicit: string[];
  /** `sha-<short>` */
  sha: boolean;
  shaLength: number;
  /** `<environment>-<full sha>`, as the Rideshare pipeline tags `production-<sha>`. */
  environment: string;
  /** The branch name (sanitised), or `pr-<number>` for a pull request ref. */
  branch: boolean;
  /** `1.2.3`, `1.2`, `1` from a tag ref `v1.2.3` (the git tag name itself when it is not semver). */
  semver: boolean;
  latest: boolean;
}

export function gitContextFromEnv(env: NodeJS.ProcessEnv = process.env, now = new Date()): GitContext {
  return {
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    repository: env.GITHUB_REPOSITORY ?? '',
    commitTime: headCommitTime(env.GITHUB_EVENT_PATH) ?? now,
  };
}

function headCommitTime(eventPath: string | undefined): Date | undefined {
  if (!eventPath) return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { head_commit?: { timestamp?: unknown } };
    const time = new Date(String(event.head_commit?.timestamp));
    return Number.isNaN(time.getTime()) ? undefined : time;
  } catch {
    return undefined; // no payload: the label falls back to now
  }
}

/**
 * The target tags in a fixed order: explicit, `<env>-<sha>`, `sha-<short>`, semver, branch, `latest`. The first one
 * is what skip-if-exists looks up, so the content-identifying tags come before the moving ones.
 */
export function computeTags(options: TagOptions, git: GitContext): string[] {
  const needsSha = options.sha || options.environment !== '';
  if (needsSha && !/^[0-9a-f]{7,64}$/.test(git.sha)) {
    throw new ConfigError(
      `Cannot compute sha tags: GITHUB_SHA is ${git.sha ? `"${git.sha}", not a commit id` : 'not set'}. ` +
        'Set tag-sha: false and tag-environment to empty, or give explicit tags.',
    );
  }
  const tags = [...options.explicit];
  if (options.environment) tags.push(sanitizeTag(`${options.environment}-${git.sha}`));
  if (options.sha) tags.push(`sha-${git.sha.slice(0, options.shaLength)}`);
  const tagName = refName(git.ref, 'refs/tags/');
  if (options.semver && tagName !== undefined) tags.push(...(semverTags(tagName) ?? [sanitizeTag(tagName)]));
  if (options.branch) {
    const branch = refName(git.ref, 'refs/heads/');
    const pr = /^refs\/pull\/(\d+)\//.exec(git.ref);
    if (branch !== undefined) tags.push(sanitizeTag(branch));
    else if (pr) tags.push(`pr-${pr[1]}`);
  }
  if (options.latest) tags.push('latest');
  const unique = [...new Set(tags.filter((tag) => tag !== ''))];
  if (unique.length === 0) {
    throw new ConfigError(
      'No tag to push: give "tags", or enable tag-sha, tag-environment, tag-branch, tag-semver (on a tag ref) ' +
        'or tag-latest.',
    );
  }
  return unique;
}

function refName(ref: string, prefix: string): string | undefined {
  return ref.startsWith(prefix) ? ref.slice(prefix.length) : undefined;
}

/** Any text as a valid Docker tag: invalid characters become `-`, no leading `.`/`-`, at most 128 characters. */
export function sanitizeTag(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
    .replace(/[.-]+$/, '');
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * `v1.2.3` → `1.2.3`, `1.2`, `1`. A pre-release gets only its full version (it must not move `1.2` or `1`), and a
 * 0.x version no bare `0` (major 0 promises no compatibility). Build metadata's `+` is not valid in a tag: `-`.
 * Undefined when the name is not semver.
 */
export function semverTags(tagName: string): string[] | undefined {
  const match = SEMVER.exec(tagName);
  if (!match) return undefined;
  const [, major, minor, patch, prerelease, build] = match;
  let full = `${major}.${minor}.${patch}`;
  if (prerelease) full += `-${prerelease}`;
  if (build) full += `-${build}`;
  if (prerelease) return [full];
  return major === '0' ? [full, `${major}.${minor}`] : [full, `${major}.${minor}`, major];
}

/** The OCI annotations-as-labels every image gets; `extra` (the labels input) wins on a clash. */
export function ociLabels(
  git: GitContext,
  details: { title: string; version: string; created: Date },
  extra: Record<string, string> = {},
): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.title': details.title,
    'org.opencontainers.image.version': details.version,
    'org.opencontainers.image.created': details.created.toISOString(),
  };
  if (git.repository) labels['org.opencontainers.image.source'] = `${git.serverUrl}/${git.repository}`;
  if (git.sha) labels['org.opencontainers.image.revision'] = git.sha;
  return { ...labels, ...extra };
}
