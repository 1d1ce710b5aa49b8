import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';

/** CloudFront rejects longer invalidation paths (counted as sent, i.e. after percent-encoding). */
export const MAX_PATH_LENGTH = 4_000;

/**
 * Where a path came from decides how its characters are read:
 * - `url`: written by the user as a URL path, so `*` at the end is a wildcard, `?` starts a query string and a
 *   valid `%XX` is already encoded;
 * - `file`: the name of a changed file, so every character is literal (`100%.html` is requested as `100%25.html`).
 */
export type PathKind = 'url' | 'file';

// CloudFront asks for non-ASCII and RFC 1738 "unsafe" characters to be URL-encoded and nothing else (an encoded
// safe character would name another cache entry). `~` is left out on purpose: RFC 3986 made it unreserved and
// browsers send it as is, so that is the form in the cache key.
const UNSAFE = new Set([' ', '"', '<', '>', '#', '{', '}', '|', '\\', '^', '[', ']', '`']);
const ENCODED_OCTET = /^%[0-9A-Fa-f]{2}/;

export interface NormaliseOptions {
  /** The default root object (e.g. `index.html`); when set, `/dir/index.html` and `/dir/` stand for each other. */
  directoryIndex?: string;
}

/** A path's defect, phrased to follow the quoted path in an error. */
function problemOf(path: string, kind: PathKind): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    return 'is a full URL: give only the path after the domain (e.g. "/app.js")';
  }
  if (kind === 'url' && path.slice(0, -1).includes('*')) {
    return 'has a "*" before its end: CloudFront accepts the wildcard only as the last character (e.g. "/images/*")';
  }
  return undefined;
}

/** Percent-encodes what CloudFront needs encoded; throws a ConfigError for a lone UTF-16 surrogate. */
export function encodePath(path: string, kind: PathKind): string {
  let encoded = '';
  for (let index = 0; index < path.length;) {
    const code = path.codePointAt(index) as number;
    const char = String.fromCodePoint(code);
    if (char === '%' && kind === 'url' && ENCODED_OCTET.test(path.slice(index))) {
      encoded += char;
    } else if (code > 0x7e) {
      try {
        encoded += encodeURIComponent(char);
      } catch {
        throw new ConfigError(`Path ${quote(path)} is not valid Unicode (a lone surrogate at offset ${index}).`);
      }
    } else if (code < 0x21 || UNSAFE.has(char) || char === '%' || (char === '?' && kind === 'file')) {
      // In a file name `%` and `?` are data, not URL syntax: browsers encode them when requesting the file.
      encoded += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      encoded += char;
    }
    index += char.length;
  }
  return encoded;
}

/**
 * One path as CloudFront wants it: leading `/`, encoded, checked. A changed file whose name holds a literal `*`
 * cannot be named exactly (the wildcard is the only meaning CloudFront gives `*`), so it is covered by the wildcard
 * ending there: `/a*b.png` → `/a*`. Throws a ConfigError naming the path.
 */
export function normalisePath(raw: string, kind: PathKind): string {
  const trimmed = raw.trim();
  const problem = problemOf(trimmed, kind);
  if (problem) throw new ConfigError(`Path ${quote(trimmed)} ${problem}.`);
  const star = kind === 'file' ? trimmed.indexOf('*') : -1;
  const withSlash = (trimmed.startsWith('/') ? '' : '/') + (star >= 0 ? trimmed.slice(0, star + 1) : trimmed);
  // Encode around the final `*` so a wildcard survives; a file name's `*` was cut to be that wildcard.
  const wildcard = withSlash.endsWith('*');
  const path = encodePath(wildcard ? withSlash.slice(0, -1) : withSlash, kind) + (wildcard ? '*' : '');
  if (path.length > MAX_PATH_LENGTH) {
    throw new ConfigError(
      `Path ${quote(trimmed)} is ${path.length.toLocaleString('en-US')} characters long once encoded; ` +
        `CloudFront accepts at most ${MAX_PATH_LENGTH.toLocaleString('en-US')}.`,
    );
  }
  return path;
}

export function isWildcard(path: string): boolean {
  return path.endsWith('*');
}

/** True when the wildcard `wildcard` (ending in `*`) matches `path`; `*` matches zero or more characters. */
export function covers(wildcard: string, path: string): boolean {
  return isWildcard(wildcard) && path.startsWith(wildcard.slice(0, -1));
}

/** `/docs/index.html` ⇄ `/docs/` and `/docs`: the forms a default root object is cached under. */
export function directoryIndexForms(path: string, index: string): string[] {
  if (isWildcard(path)) return [];
  const suffix = `/${index}`;
  const directory = path.endsWith(suffix) ? path.slice(0, -index.length) : path.endsWith('/') ? path : undefined;
  if (directory === undefined) return [];
  const forms = [directory, directory + index];
  if (directory !== '/') forms.push(directory.slice(0, -1));
  return forms.filter((form) => form !== path);
}

/**
 * Sorted, without duplicates, and without any path a wildcard already covers (a wildcard covered by a broader one
 * goes too). Sorting keeps the CallerReference and the batches the same for the same set of paths.
 */
export function dropCovered(paths: Iterable<string>): string[] {
  const sorted = [...new Set(paths)].sort(byCodeUnit);
  const prefixes: string[] = [];
  // In sorted order everything between a prefix and a string it starts is covered by it too, so comparing with
  // the last prefix kept is enough to keep only the broadest ones.
  for (const prefix of sorted
    .filter(isWildcard)
    .map((path) => path.slice(0, -1))
    .sort(byCodeUnit)) {
    const last = prefixes.at(-1);
    if (last === undefined || !prefix.startsWith(last)) prefixes.push(prefix);
  }
  // Prefixes are prefix-free now, so the greatest one not after a path is the only one that can cover it.
  return sorted.filter((path) => {
    const prefix = greatestAtMost(prefixes, path);
    return prefix === undefined || !path.startsWith(prefix) || path === `${prefix}*`;
  });
}

export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function greatestAtMost(sorted: string[], value: string): string | undefined {
  let low = 0;
  let high = sorted.length - 1;
  let found: string | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= value) {
      found = sorted[middle];
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

export interface PathSource {
  kind: PathKind;
  paths: string[];
}

/**
 * Every path normalised, expanded to its directory-index forms when asked, de-duplicated and without covered
 * paths. All invalid paths are reported at once (the first in the message's first line).
 */
export function normalisePaths(sources: PathSource[], options: NormaliseOptions = {}): string[] {
  const problems: string[] = [];
  const normalised: string[] = [];
  for (const { kind, paths } of sources) {
    for (const raw of paths) {
      if (raw.trim() === '') continue;
      try {
        normalised.push(normalisePath(raw, kind));
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(error.message);
      }
    }
  }
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1) {
    throw new ConfigError(`${problems.length} invalid paths; the first: ${problems[0]}\n${problems.join('\n')}`);
  }
  const index = options.directoryIndex;
  const expanded = index ? normalised.flatMap((path) => [path, ...directoryIndexForms(path, index)]) : normalised;
  return dropCovered(expanded);
}
