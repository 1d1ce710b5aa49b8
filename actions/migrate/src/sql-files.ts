import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@shipyard/platform/errors';
import { quote } from '@shipyard/platform/inputs';
import { requireInWorkspace } from '@shipyard/platform/workspace-path';
import { Input } from './constants';

// The files of `sql-directory` and the order they run in. A file's version is its leading number and the letters
// right after it (`003a_create_reservations.sql` → 3a); versions compare by the number's value, then the letters
// alphabetically (3 < 3a < 3b < 10), so `9` and `10` sort as people mean, whatever the padding. Two files with the
// same version (`001_a.sql` and `1_b.sql`, or two `002_…` files from two branches) are refused: which runs first
// would be an accident.

/** `<digits>[lowercase letters]` then `.sql`, or a `_` / `-` and a description. */
const FILE_NAME = /^(\d+)([a-z]*)(?:[_-][A-Za-z0-9_.-]*)?\.sql$/;
const VERSION = /^(\d+)([a-z]*)$/;
/** The first line that asks for a file to run outside a transaction (CREATE INDEX CONCURRENTLY, VACUUM, …). */
export const NO_TRANSACTION_DIRECTIVE = '-- shipyard:no-transaction';

export interface SqlVersion {
  number: bigint;
  letters: string;
}

export interface SqlFile {
  name: string;
  version: SqlVersion;
  /** SHA-256 (hex) of the content with CRLF line ends read as LF, so a checkout's line-end setting changes nothing. */
  checksum: string;
  /** False for a file whose first line is the no-transaction directive. */
  transactional: boolean;
}

/** The version of a file name, or undefined when the name does not follow `<number>[letters][_description].sql`. */
export function parseFileVersion(name: string): SqlVersion | undefined {
  const match = FILE_NAME.exec(name);
  return match ? { number: BigInt(match[1]), letters: match[2] } : undefined;
}

/** A version as written on its own (`004`, `3a`), or undefined. */
export function parseVersion(text: string): SqlVersion | undefined {
  const match = VERSION.exec(text);
  return match ? { number: BigInt(match[1]), letters: match[2] } : undefined;
}

export function compareVersions(a: SqlVersion, b: SqlVersion): number {
  if (a.number !== b.number) return a.number < b.number ? -1 : 1;
  if (a.letters === b.letters) return 0;
  return a.letters < b.letters ? -1 : 1;
}

export function formatVersion(version: SqlVersion): string {
  return `${version.number}${version.letters}`;
}

export function checksumOf(content: Buffer): string {
  const normalized = Buffer.from(content.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  return createHash('sha256').update(normalized).digest('hex');
}

function startsWithDirective(content: Buffer): boolean {
  const firstLine = content
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\n', 1)[0];
  return firstLine.trim() === NO_TRANSACTION_DIRECTIVE;
}

/**
 * The names in run order. Throws a ConfigError naming `sql-directory` for a `.sql` name that has no version, and
 * for two names with the same version.
 */
export function orderFileNames(names: string[], directory: string): { name: string; version: SqlVersion }[] {
  const named = names.map((name) => {
    const version = parseFileVersion(name);
    if (!version) {
      throw new ConfigError(
        `Input "${Input.SqlDirectory}" names ${quote(directory)}, whose file ${quote(name)} does not follow ` +
          '<number>[letters]_<description>.sql (letters, digits, "_", "-", "." only), e.g. 001_create_users.sql ' +
          'or 003a_add_index.sql: rename it, or move it out of the folder.',
      );
    }
    return { name, version };
  });
  named.sort((a, b) => compareVersions(a.version, b.version) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let index = 1; index < named.length; index++) {
    const [previous, current] = [named[index - 1], named[index]];
    if (compareVersions(previous.version, current.version) === 0) {
      throw new ConfigError(
        `Input "${Input.SqlDirectory}" names ${quote(directory)}, where ${quote(previous.name)} and ` +
          `${quote(current.name)} have the same version ${formatVersion(current.version)}, so their order would be ` +
          'an accident: give one of them another number (or a letter, e.g. 003a and 003b).',
      );
    }
  }
  return named;
}

/**
 * The SQL files of the folder (not its subfolders) in run order, each read once. Other files (README.md, …) are
 * left alone; a name ending in `.sql` in any case must follow the naming rule. Every file must lie inside the
 * checkout, links followed.
 */
export function listSqlFiles(
  directoryInput: string,
  env: NodeJS.ProcessEnv = process.env,
): { path: string; files: SqlFile[] } {
  const directory = requireInWorkspace(Input.SqlDirectory, directoryInput, 'directory', env);
  const names = readdirSync(directory, { withFileTypes: true })
    .filter((entry) => !entry.isDirectory() && entry.name.toLowerCase().endsWith('.sql'))
    .map((entry) => entry.name);
  const ordered = orderFileNames(names, directoryInput);
  if (ordered.length === 0) {
    throw new ConfigError(
      `Input "${Input.SqlDirectory}" names ${quote(directoryInput)}, which holds no .sql file: check the path.`,
    );
  }
  const files = ordered.map(({ name, version }) => {
    const content = readFileSync(requireInWorkspace(Input.SqlDirectory, join(directoryInput, name), 'file', env));
    return { name, version, checksum: checksumOf(content), transactional: !startsWithDirective(content) };
  });
  return { path: directory, files };
}

/** What `sql-baseline` says, checked before the folder is read: a file name, or a version (`004`, `3a`). */
export type BaselineRef = { name: string } | { version: SqlVersion };

export function parseBaseline(name: string, raw: string): BaselineRef {
  const value = raw.trim();
  const version = parseVersion(value);
  if (version) return { version };
  if (parseFileVersion(value)) return { name: value };
  throw new ConfigError(
    `Input "${name}" must be a file name of "${Input.SqlDirectory}" (e.g. 004_create_x.sql) or a version (e.g. 004 ` +
      `or 3a), got ${quote(raw)}.`,
  );
}

/** The file the baseline names: by name, or by version (`004` names `004_create_x.sql` and `4_x.sql` alike). */
export function resolveBaseline(ref: BaselineRef, files: SqlFile[], directoryInput: string): SqlFile {
  const found = files.find((file) =>
    'name' in ref ? file.name === ref.name : compareVersions(file.version, ref.version) === 0,
  );
  if (found) return found;
  const given = 'name' in ref ? quote(ref.name) : `version ${formatVersion(ref.version)}`;
  throw new ConfigError(
    `Input "${Input.SqlBaseline}" names ${given}, which is not a file of ${quote(directoryInput)} ` +
      `(${quote(files[0].name)} … ${quote(files[files.length - 1].name)}).`,
  );
}
