import { resolve } from 'node:path';
import * as core from './core';
import { parse as parseYaml } from 'yaml';
import { durationToMs, formatDuration } from './duration';
import { ConfigError, describeError } from './errors';
import { isWorkspaceFile, readWorkspaceFile, workspaceRoot } from './workspace-path';
import { quote, UNPRINTABLE } from './redact';

// How values show in errors lives with the redaction it relies on (workspace-path.ts uses it too).
export { printableValue, quote, UNPRINTABLE } from './redact';

// Pure parsers (`parseX(name, raw, …)`) hold every rule and are table-tested; readers (`readX(name, …)`) only fetch
// the raw text with core.getInput and hand it over. Every error names the input, quotes what it got and says what
// it accepts.

const BOOLEANS: Record<string, boolean> = {
  true: true,
  True: true,
  TRUE: true,
  false: false,
  False: false,
  FALSE: false,
};
const MAP_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
// us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1.
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export interface StringOptions {
  required?: boolean;
  default?: string;
}

export interface IntegerOptions {
  min?: number;
  max?: number;
  default?: number;
}

/** Bounds of a duration input in milliseconds; every duration is also at most MAX_DURATION_MS. */
export interface DurationBounds {
  min?: number;
  max?: number;
}

/**
 * The longest duration any input accepts: 5 days, the most a job may run on a self-hosted runner (GitHub-hosted:
 * 6 hours). Far below Node's timer limit (2^31-1 ms, about 24.8 days), beyond which a timer fires at once.
 */
export const MAX_DURATION_MS = 120 * 3_600_000;
/** A wait or a timeout: under a second it would give up before the first look. */
export const WAIT_BOUNDS: DurationBounds = { min: 1_000 };
/** Time between two checks of a URL: faster than 100 ms is a flood, not a check. */
export const CHECK_INTERVAL_BOUNDS: DurationBounds = { min: 100 };

export interface StructuredOrigin {
  /** The path the text was read from, as the user wrote it. */
  file?: string;
  /** Where a path-like value was looked for in vain; the error mentions it. */
  missingFile?: string;
}

function required(name: string): ConfigError {
  return new ConfigError(`Input "${name}" is required but was empty or not set.`);
}

export function parseString(name: string, raw: string, options: StringOptions = {}): string {
  const value = raw.trim();
  if (value) return value;
  if (options.required) throw required(name);
  return options.default ?? '';
}

/** YAML 1.2 core schema booleans only: `yes`, `on`, `1` are rejected rather than guessed. Empty → default. */
export function parseBoolean(name: string, raw: string, defaultValue: boolean): boolean {
  const value = raw.trim();
  if (value === '') return defaultValue;
  const parsed = BOOLEANS[value];
  if (parsed === undefined) {
    throw new ConfigError(
      `Input "${name}" must be a boolean (true, True, TRUE, false, False or FALSE), got ${quote(raw)}.`,
    );
  }
  return parsed;
}

/** A whole number within optional bounds. Empty → default, or an error when there is none. */
export function parseInteger(name: string, raw: string, options: IntegerOptions = {}): number {
  const value = raw.trim();
  if (value === '') {
    if (options.default === undefined) throw required(name);
    return options.default;
  }
  const { min, max } = options;
  const number = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  const unsafe = Number.isInteger(number) && !Number.isSafeInteger(number);
  const range = unsafe
    ? rangeText(min ?? Number.MIN_SAFE_INTEGER, max ?? Number.MAX_SAFE_INTEGER)
    : rangeText(min, max);
  if (!Number.isSafeInteger(number) || (min !== undefined && number < min) || (max !== undefined && number > max)) {
    throw new ConfigError(`Input "${name}" must be a whole number${range}, got ${quote(raw)}.`);
  }
  return number;
}

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return '';
}

/**
 * A duration in milliseconds: `90s`, `10m`, `1h30m`, `500ms`, or a plain number of seconds, within `bounds` and
 * never above MAX_DURATION_MS. Empty → default.
 */
export function parseDuration(name: string, raw: string, defaultMs: number, bounds: DurationBounds = {}): number {
  const value = raw.trim();
  if (value === '') return defaultMs;
  const ms = durationToMs(value);
  if (ms === undefined) {
    throw new ConfigError(
      `Input "${name}" must be a duration such as 90s, 10m, 1h30m or 500ms ` +
        `(units h, m, s, ms in that order; a plain number means seconds), got ${quote(raw)}.`,
    );
  }
  const min = bounds.min ?? 0;
  const max = Math.min(bounds.max ?? MAX_DURATION_MS, MAX_DURATION_MS);
  if (ms < min || ms > max) {
    throw new ConfigError(
      `Input "${name}" must be a duration from ${formatDuration(min)} to ${formatDuration(max)}, got ${quote(raw)}.`,
    );
  }
  return ms;
}

/** Items separated by newlines or commas, trimmed; blank items and lines starting with `#` are ignored. */
export function parseList(raw: string): string[] {
  return raw
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * `KEY=value` lines; the value is everything after the first `=` (so it may contain `=`), trimmed. Blank lines
 * and `#` comment lines are ignored. A line without `=`, an invalid key or a key given twice is an error.
 */
export function parseMap(name: string, raw: string): Record<string, string> {
  const lineOfKey = new Map<string, number>();
  const entries: [string, string][] = [];
  raw.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trim();
    const lineNumber = index + 1;
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals === -1) {
      throw new ConfigError(`Input "${name}" line ${lineNumber} must be KEY=value, got ${quote(line)}.`);
    }
    const key = line.slice(0, equals).trim();
    if (!MAP_KEY.test(key)) {
      throw new ConfigError(
        `Input "${name}" line ${lineNumber} has an invalid key ${quote(key)}: ` +
          'a key starts with a letter or _ and contains only letters, digits, _, . and -.',
      );
    }
    const firstLine = lineOfKey.get(key);
    if (firstLine !== undefined) {
      throw new ConfigError(
        `Input "${name}" sets ${quote(key)} twice (lines ${firstLine} and ${lineNumber}); each key may appear once.`,
      );
    }
    lineOfKey.set(key, lineNumber);
    entries.push([key, line.slice(equals + 1).trim()]);
  });
  // fromEntries defines own properties, so a key such as __proto__ stays plain data.
  return Object.fromEntries(entries);
}

/**
 * JSON or YAML text (JSON is YAML 1.2) that must hold an object or a list. Empty → undefined. `origin` only
 * changes the wording of errors: what file the text came from, or where a path-like value was not found.
 */
export function parseStructured(name: string, text: string, origin: StructuredOrigin = {}): unknown {
  const subject = origin.file ? `Input "${name}" names file ${quote(origin.file)}, which` : `Input "${name}"`;
  if (text.trim() === '') {
    if (origin.file) throw new ConfigError(`${subject} is empty instead of holding a JSON or YAML object or list.`);
    return undefined;
  }
  let value: unknown;
  try {
    value = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    // yaml's message is a line ending in ":" followed by a source excerpt; the line alone says enough.
    const reason = describeError(error).replace(/:$/, '');
    if (origin.file) throw new ConfigError(`${subject} is not valid JSON or YAML (${withoutSource(reason)}).`);
    throw new ConfigError(`${subject} is not valid JSON or YAML (${reason}), got ${quote(text)}.`);
  }
  if (typeof value !== 'object' || value === null) {
    if (origin.file) {
      throw new ConfigError(`${subject} holds a ${typeof value} instead of a JSON or YAML object or list.`);
    }
    const hint = origin.missingFile ? ` (no file at ${origin.missingFile})` : '';
    throw new ConfigError(
      `${subject} must be a JSON or YAML object or list, inline or in a file named by its path, ` +
        `got ${quote(text)}${hint}.`,
    );
  }
  return value;
}

/**
 * A file's content never appears in an error (it may be a secret, or a file that should not have been named): some
 * yaml messages quote the source after a colon (`Unresolved alias …: *db`); the position stays.
 */
function withoutSource(reason: string): string {
  const position = / at line \d+, column \d+$/.exec(reason)?.[0] ?? '';
  return reason.slice(0, reason.length - position.length).replace(/: .*$/, '') + position;
}

/** An AWS region such as eu-north-1, or empty (the job's region then applies). */
export function parseRegion(name: string, raw: string): string {
  const value = raw.trim();
  if (value !== '' && !AWS_REGION.test(value)) {
    throw new ConfigError(`Input "${name}" must be an AWS region such as us-east-1 or eu-north-1, got ${quote(raw)}.`);
  }
  return value;
}

/** Free text on one line (a display name), at most `max` characters, nothing unprintable. Empty → ''. */
export function parseText(name: string, raw: string, max: number): string {
  const value = raw.trim();
  if (value.length > max || UNPRINTABLE.test(value)) {
    throw new ConfigError(
      `Input "${name}" must be one line of at most ${max} printable characters, got ${quote(raw)}.`,
    );
  }
  return value;
}

export function readString(name: string, options: StringOptions = {}): string {
  return parseString(name, core.getInput(name), options);
}

export function readBoolean(name: string, defaultValue: boolean): boolean {
  return parseBoolean(name, core.getInput(name), defaultValue);
}

export function readInteger(name: string, options: IntegerOptions = {}): number {
  return parseInteger(name, core.getInput(name), options);
}

/** Milliseconds; `defaultMs` applies when the input is empty. */
export function readDuration(name: string, defaultMs: number, bounds: DurationBounds = {}): number {
  return parseDuration(name, core.getInput(name), defaultMs, bounds);
}

export function readRegion(name: string): string {
  return parseRegion(name, core.getInput(name));
}

export function readText(name: string, max: number): string {
  return parseText(name, core.getInput(name), max);
}

/** A value that must match `pattern`; `accepted` says what that is in the error. Empty → ''. */
export function readMatching(name: string, pattern: RegExp, accepted: string): string {
  const value = readString(name);
  if (value !== '' && !pattern.test(value)) {
    throw new ConfigError(`Input "${name}" must be ${accepted}, got ${quote(value)}.`);
  }
  return value;
}

export function readList(name: string): string[] {
  return parseList(core.getInput(name));
}

export function readMap(name: string): Record<string, string> {
  return parseMap(name, core.getInput(name));
}

/**
 * An object or list given inline (JSON or YAML) or as the path of a file inside the workspace holding one. Empty →
 * undefined.
 */
export function readStructured(name: string): unknown {
  return readStructuredSource(name).value;
}

/** readStructured, with the text it parsed and the file (as named) it came from, to point at a line in it. */
export function readStructuredSource(name: string): { value: unknown; text: string; file?: string } {
  // Untrimmed: the first line's indentation is part of a YAML document.
  const raw = core.getInput(name, { trimWhitespace: false });
  const value = raw.trim();
  if (value.includes('\n') || value.startsWith('{') || value.startsWith('[')) {
    return { value: parseStructured(name, raw), text: raw };
  }
  if (!isWorkspaceFile(name, value)) {
    return { value: parseStructured(name, raw, { missingFile: resolve(workspaceRoot(), value) }), text: raw };
  }
  const content = readWorkspaceFile(name, value);
  return { value: parseStructured(name, content, { file: value }), text: content, file: value };
}
