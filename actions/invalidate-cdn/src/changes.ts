import { posix } from 'node:path';

/**
 * Changed-file lists as CI produces them, turned into the URL paths CloudFront serves them under. Accepted lines:
 * - plain paths, e.g. the output of `git diff --name-only` (C-quoted names included);
 * - `aws s3 sync` / `aws s3 cp` / `aws s3 mv` output: `upload: dist/app.js to s3://bucket/app.js`,
 *   `copy: s3://a/x to s3://b/x`, `delete: s3://bucket/old.js`, each possibly prefixed by `(dryrun) `.
 * An S3 object is mapped by its key (what the origin serves); a local file by its place under the site folder.
 */

export interface ChangeMapping {
  /** Local folder holding the site as deployed (e.g. `dist`); `.` or empty means the whole checkout. */
  filesRoot: string;
  /** URL path the folder is served under (e.g. `/` or `/app`). */
  urlPrefix: string;
  /** The CloudFront origin path of the bucket (e.g. `/site`): the part of an S3 key the URL does not show. */
  originPath: string;
}

export interface ChangedFiles {
  /** URL paths, not encoded yet (each character literal), in input order, without duplicates. */
  urlPaths: string[];
  /** Changed files that are not part of the site: outside filesRoot, or S3 keys outside originPath. */
  ignored: string[];
  /** `upload failed:` and similar lines from `aws s3`: those objects did not change. */
  failed: string[];
}

type Change = { kind: 'local'; path: string } | { kind: 's3'; url: string } | { kind: 'failed'; line: string };

const DRY_RUN = /^\(dryrun\) /;
const TRANSFER = /^(upload|copy|move|download): (.+)$/;
const DELETE = /^delete: (.+)$/;
const FAILED = /^[a-z]+ failed: /;
// `aws s3` progress and diagnostics, never file names.
const NOISE = /^(Completed \d|warning: |fatal error: |Skipping )/;
const S3_URL = /^s3:\/\/[^/]+\/(.*)$/;

/** One line of input → the change it reports, or undefined for progress lines and blanks. */
export function parseChangeLine(rawLine: string): Change | undefined {
  const line = rawLine.trim().replace(DRY_RUN, '');
  if (line === '' || line.startsWith('#') || NOISE.test(line)) return undefined;
  if (FAILED.test(line)) return { kind: 'failed', line };
  const transfer = TRANSFER.exec(line);
  if (transfer) {
    const [, verb, rest] = transfer;
    // Names may contain " to ", but a destination in S3 starts with s3://, so the last " to s3://" splits them.
    const split = rest.lastIndexOf(' to s3://');
    if (split >= 0) return verb === 'download' ? undefined : { kind: 's3', url: rest.slice(split + 4) };
    // S3 → local: only a move changes the bucket (the object is gone).
    const source = rest.split(' to ', 1)[0];
    return verb === 'move' && source.startsWith('s3://') ? { kind: 's3', url: source } : undefined;
  }
  const deleted = DELETE.exec(line);
  if (deleted) return deleted[1].startsWith('s3://') ? { kind: 's3', url: deleted[1] } : undefined;
  return { kind: 'local', path: unquoteGitPath(line) };
}

/**
 * git prints names with unusual bytes C-quoted (`"caf\303\251.html"`) unless core.quotePath is off; the octal
 * escapes are UTF-8 bytes.
 */
export function unquoteGitPath(text: string): string {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return text;
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let index = 0; index < body.length; index++) {
    const char = body[index];
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      index += 3;
    } else {
      const next = body[index + 1];
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function trimSlashes(text: string): string {
  return text.replace(/^\/+|\/+$/g, '');
}

/** A local path relative to the site folder, or undefined when the file lies outside it. */
function relativeToRoot(path: string, filesRoot: string): string | undefined {
  const file = posix.normalize(path).replace(/^(\.\/)+/, '');
  const root = trimSlashes(posix.normalize(filesRoot.trim() || '.'));
  if (root === '.' || root === '') return file.startsWith('../') || file === '..' ? undefined : trimLeading(file);
  return file.startsWith(`${root}/`) ? file.slice(root.length + 1) : undefined;
}

function trimLeading(text: string): string {
  return text.replace(/^\/+/, '');
}

/** The URL path an S3 object is served under, or undefined when its key is outside the origin path. */
function keyToUrlPath(url: string, originPath: string): string | undefined {
  const key = S3_URL.exec(url)?.[1];
  if (key === undefined) return undefined;
  const origin = trimSlashes(originPath);
  if (!origin) return `/${key}`;
  return key.startsWith(`${origin}/`) ? key.slice(origin.length) : undefined;
}

function joinUrl(prefix: string, relative: string): string {
  const base = trimSlashes(prefix.trim());
  return base ? `/${base}/${relative}` : `/${relative}`;
}

/** Reads every line and maps it; lines are split on `\r` too, as `aws s3` rewrites its progress line in place. */
export function mapChangedFiles(text: string, mapping: ChangeMapping): ChangedFiles {
  const urlPaths = new Set<string>();
  const ignored: string[] = [];
  const failed: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const change = parseChangeLine(line);
    if (!change) continue;
    if (change.kind === 'failed') {
      failed.push(change.line);
      continue;
    }
    const urlPath =
      change.kind === 's3'
        ? keyToUrlPath(change.url, mapping.originPath)
        : mapLocal(change.path, mapping.filesRoot, mapping.urlPrefix);
    if (urlPath === undefined) ignored.push(change.kind === 's3' ? change.url : change.path);
    else urlPaths.add(urlPath);
  }
  return { urlPaths: [...urlPaths], ignored, failed };
}

function mapLocal(path: string, filesRoot: string, urlPrefix: string): string | undefined {
  const relative = relativeToRoot(path, filesRoot);
  return relative === undefined ? undefined : joinUrl(urlPrefix, relative);
}
