import * as core from '@shipyard/platform/core';
import { ConfigError } from '@shipyard/platform/errors';
import {
  quote,
  readBoolean,
  readDuration,
  readInteger,
  readList,
  readString,
  WAIT_BOUNDS,
} from '@shipyard/platform/inputs';
import { locateInWorkspace, readWorkspaceFile } from '@shipyard/platform/workspace-path';
import type { IdempotencyScope } from './caller-reference';
import { mapChangedFiles, type ChangedFiles } from './changes';
import { FREE_PATHS_PER_MONTH } from './collapse';
import { Input } from './constants';
import { normalisePaths, type PathSource } from './paths';

export type DistributionRef = { kind: 'id'; id: string } | { kind: 'domain'; domain: string };

export interface ActionInputs {
  distributions: DistributionRef[];
  /** Every path to invalidate, normalised, de-duplicated, sorted (before cost mode). */
  requested: string[];
  /** Set when changed files were given: what was ignored or failed, for the log and the summary. */
  changes?: ChangedFiles;
  costMode: boolean;
  pathBudget: number;
  wait: boolean;
  timeoutMs: number;
  scope: IdempotencyScope;
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;
// CloudFront ids are E + upper-case letters and digits (E2QWRUHAPOMQZL); a name with a dot is a domain.
const DISTRIBUTION_ID = /^E[A-Z0-9]{5,30}$/;
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+\.?$/i;
const SCOPES: readonly IdempotencyScope[] = ['run', 'attempt'];
// RFC 3986 path characters, "%" only in an escape; the prefixes are joined with file names into CloudFront paths.
const URL_PATH = /^(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})*$/;
const URL_PATH_LIMIT = 1_024;
const URL_PATH_RULE = `starting with "/": letters, digits, "-", ".", "_", "~", "/" and %XX escapes, at most ${URL_PATH_LIMIT} characters`;

export function parseDistributions(name: string, items: string[]): DistributionRef[] {
  if (items.length === 0) throw new ConfigError(`Input "${name}" is required but was empty or not set.`);
  const refs = new Map<string, DistributionRef>();
  for (const item of items) {
    if (DISTRIBUTION_ID.test(item)) refs.set(item, { kind: 'id', id: item });
    else if (DOMAIN.test(item)) {
      const domain = item.toLowerCase().replace(/\.$/, '');
      refs.set(domain, { kind: 'domain', domain });
    } else {
      throw new ConfigError(
        `Input "${name}" has ${quote(item)}, which is neither a distribution id (like "E2QWRUHAPOMQZL") ` +
          'nor a domain name (an alias like "www.example.com" or "d111111abcdef8.cloudfront.net").',
      );
    }
  }
  return [...refs.values()];
}

export function parseScope(name: string, raw: string): IdempotencyScope {
  const value = raw.trim() || 'run';
  if (!(SCOPES as readonly string[]).includes(value)) {
    throw new ConfigError(`Input "${name}" must be "run" or "attempt", got ${quote(raw)}.`);
  }
  return value as IdempotencyScope;
}

/** A URL path prefix such as `/app`: absolute, no ".." segment, nothing CloudFront would see differently. */
export function parseUrlPath(name: string, raw: string, fallback: string): string {
  const value = raw.trim() || fallback;
  if (value === '') return value;
  const absolute = value.startsWith('/');
  if (!absolute || value.length > URL_PATH_LIMIT || !URL_PATH.test(value) || value.split('/').includes('..')) {
    throw new ConfigError(`Input "${name}" must be a URL path such as /app (${URL_PATH_RULE}), got ${quote(raw)}.`);
  }
  return value;
}

/** A file name such as `index.html`, or empty. */
export function parseDirectoryIndex(name: string, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (value.includes('/') || value === '..' || !URL_PATH.test(value) || value.length > 255) {
    throw new ConfigError(`Input "${name}" must be a file name such as "index.html", got ${quote(raw)}.`);
  }
  return value;
}

/** One path per line (a comma is a valid URL character, so unlike other list inputs commas do not separate). */
export function parseLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function readChangedFilesFile(name: string): string | undefined {
  const value = readString(name);
  return value ? readWorkspaceFile(name, value) : undefined;
}

/** Reads and checks every input, and computes the paths, so any mistake surfaces before the first AWS call. */
export function readInputs(): ActionInputs {
  const distributions = parseDistributions(Input.Distributions, readList(Input.Distributions));
  const explicit = parseLines(core.getInput(Input.Paths));
  const inline = core.getInput(Input.ChangedFiles);
  const fromFile = readChangedFilesFile(Input.ChangedFilesFile);
  const sources: PathSource[] = [{ kind: 'url', paths: explicit }];
  let changes: ChangedFiles | undefined;
  if (inline.trim() || fromFile !== undefined) {
    const filesRoot = readString(Input.FilesRoot, { default: '.' });
    // The site folder need not exist here (s3 sync output names keys), but it must be one inside the checkout.
    locateInWorkspace(Input.FilesRoot, filesRoot);
    changes = mapChangedFiles([inline, fromFile ?? ''].join('\n'), {
      filesRoot,
      urlPrefix: parseUrlPath(Input.UrlPrefix, core.getInput(Input.UrlPrefix), '/'),
      originPath: parseUrlPath(Input.OriginPath, core.getInput(Input.OriginPath), ''),
    });
    sources.push({ kind: 'file', paths: changes.urlPaths });
  }
  const directoryIndex = parseDirectoryIndex(Input.DirectoryIndex, core.getInput(Input.DirectoryIndex));
  return {
    distributions,
    requested: normalisePaths(sources, { directoryIndex }),
    changes,
    costMode: readBoolean(Input.CostMode, true),
    pathBudget: readInteger(Input.PathBudget, { min: 1, default: FREE_PATHS_PER_MONTH }),
    wait: readBoolean(Input.Wait, true),
    timeoutMs: readDuration(Input.Timeout, DEFAULT_TIMEOUT_MS, WAIT_BOUNDS),
    scope: parseScope(Input.IdempotencyScope, core.getInput(Input.IdempotencyScope)),
  };
}
