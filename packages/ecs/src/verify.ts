import { HttpClient } from '@actions/http-client';
import { fetch as undiciFetch } from 'undici';
import { SHIPYARD_VERSION } from '@shipyard/platform/constants';
import { ConfigError } from '@shipyard/platform/errors';
import { quote, UNPRINTABLE } from '@shipyard/platform/redact';
import { PollCancelledError, systemClock, type Clock } from '@shipyard/platform/poll';

/** Verification URLs: each must be an absolute http(s) URL. */
const MAX_URL_LENGTH = 2_048;

export function parseUrls(name: string, items: string[]): string[] {
  for (const item of items) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    // The URL parser quietly drops or escapes control characters; a URL typed with one is a mistake.
    const unprintable = UNPRINTABLE.test(item) || item.length > MAX_URL_LENGTH;
    if (!url || unprintable || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(
        `Input "${name}" must list absolute http(s) URLs of at most ${MAX_URL_LENGTH} printable characters, ` +
          `got ${quote(item)}.`,
      );
    }
  }
  return items;
}

/** Which HTTP statuses count as healthy: exact codes and whole classes (`2xx` → 2). */
export interface StatusExpectation {
  codes: number[];
  classes: number[];
}

/** What the body must hold: a substring, or a JSON value at a path (`$.version == 1.4.2`). */
export type BodyExpectation =
  | { kind: 'contains'; text: string }
  | { kind: 'json-path'; path: string; segments: (string | number)[]; expected: string };

export interface HttpExpectation {
  status: StatusExpectation;
  body?: BodyExpectation;
}

export type CheckOutcome = { ok: true } | { ok: false; reason: string };

export interface UrlCheck {
  url: string;
  outcome: CheckOutcome;
}

export interface VerifyOptions {
  urls: string[];
  expectation: HttpExpectation;
  /** Consecutive healthy rounds that pass the verification. */
  successes: number;
  /** Consecutive failed rounds that fail it; default `successes`. */
  failures?: number;
  intervalMs: number;
  /** Without a verdict by then, the verification fails. */
  timeoutMs: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Default: proxyAwareFetch(). */
  fetch?: typeof fetch;
  /** Called after every round with the result of each URL. */
  onRound?: (round: number, checks: UrlCheck[]) => void;
}

export interface VerifyResult {
  passed: boolean;
  rounds: number;
  /** Why it failed: the last failing URL and reason, or the timeout. */
  reason?: string;
}

const REQUEST_TIMEOUT_MS = 10_000;
const BODY_QUOTE_LIMIT = 60;
const STATUS_ITEM = /^(?:[1-5]\d\d|[1-5]xx)$/i;
const JSON_PATH = /^\$((?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\["[^"]*"\]|\['[^']*'\])*)\s*==\s*(.*)$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/g;

/** `200`, `200,204`, `2xx`: a comma-separated list of codes and classes. */
export function parseStatusExpectation(name: string, raw: string): StatusExpectation {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) return { codes: [200], classes: [] };
  const invalid = items.find((item) => !STATUS_ITEM.test(item));
  if (invalid !== undefined) {
    throw new ConfigError(
      `Input "${name}" must list HTTP statuses such as 200, "200,204" or 2xx, got ${quote(raw)} (${quote(invalid)} is not one).`,
    );
  }
  return {
    codes: items.filter((item) => !/x/i.test(item)).map(Number),
    classes: items.filter((item) => /x/i.test(item)).map((item) => Number(item[0])),
  };
}

/**
 * A substring the body must contain, or `$.json.path == value` (the value may be quoted JSON). Empty → undefined.
 */
export function parseBodyExpectation(name: string, raw: string): BodyExpectation | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!value.startsWith('$')) return { kind: 'contains', text: value };
  const match = JSON_PATH.exec(value);
  if (!match || match[2].trim() === '') {
    throw new ConfigError(
      `Input "${name}" starts with $ but is not a JSON path check such as $.version == 1.4.2 or $.checks[0].ok == true, ` +
        `got ${quote(raw)}. (Use a value not starting with $ to look for a substring.)`,
    );
  }
  const segments = [...match[1].matchAll(PATH_SEGMENT)].map(([, dotted, index, doubleQuoted, singleQuoted]) =>
    index !== undefined ? Number(index) : (dotted ?? doubleQuoted ?? singleQuoted),
  );
  return { kind: 'json-path', path: `$${match[1]}`, segments, expected: match[2].trim() };
}

export function describeStatus(status: StatusExpectation): string {
  return [...status.codes.map(String), ...status.classes.map((c) => `${c}xx`)].join(' or ');
}

export function describeExpectation(expectation: HttpExpectation): string {
  const body = expectation.body;
  const bodyText = !body
    ? ''
    : body.kind === 'contains'
      ? ` with a body containing ${quote(body.text)}`
      : ` with ${body.path} == ${body.expected}`;
  return `HTTP ${describeStatus(expectation.status)}${bodyText}`;
}

/** Judges one response against the expectation; the reason says what was wrong in a few words. */
export function checkResponse(status: number, body: string, expectation: HttpExpectation): CheckOutcome {
  const { codes, classes } = expectation.status;
  if (!codes.includes(status) && !classes.includes(Math.floor(status / 100))) {
    return { ok: false, reason: `HTTP ${status}, expected ${describeStatus(expectation.status)}` };
  }
  const expected = expectation.body;
  if (!expected) return { ok: true };
  if (expected.kind === 'contains') {
    return body.includes(expected.text)
      ? { ok: true }
      : { ok: false, reason: `body ${quoteBody(body)} does not contain ${quote(expected.text)}` };
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return { ok: false, reason: `body ${quoteBody(body)} is not JSON, so ${expected.path} cannot be read` };
  }
  const found = valueAt(document, expected.segments);
  if (!found.exists) return { ok: false, reason: `${expected.path} is missing from the body` };
  return jsonValueEquals(found.value, expected.expected)
    ? { ok: true }
    : { ok: false, reason: `${expected.path} is ${JSON.stringify(found.value)}, expected ${expected.expected}` };
}

function quoteBody(body: string): string {
  const compact = body.replace(/\s+/g, ' ').trim();
  return JSON.stringify(compact.length > BODY_QUOTE_LIMIT ? `${compact.slice(0, BODY_QUOTE_LIMIT - 1)}…` : compact);
}

function valueAt(document: unknown, segments: (string | number)[]): { exists: boolean; value?: unknown } {
  let current = document;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) {
      return { exists: false };
    }
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { exists: true, value: current };
}

/**
 * `1.4.2` matches the string "1.4.2"; `"1.4.2"` (quoted JSON) too; `3` matches the number 3 and the string "3";
 * `true`/`null`/objects compare as JSON.
 */
function jsonValueEquals(actual: unknown, expectedText: string): boolean {
  let expected: unknown = expectedText;
  try {
    expected = JSON.parse(expectedText);
  } catch {
    // Not JSON: an unquoted string.
  }
  if (typeof actual === 'string') return actual === String(expected);
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/**
 * Checks every URL each round (in parallel) until `successes` healthy rounds in a row (passed), or `failures`
 * failed rounds in a row or the timeout (failed). Throws PollCancelledError when the signal aborts.
 */
export async function verifyUrls(options: VerifyOptions): Promise<VerifyResult> {
  const { urls, expectation, successes, intervalMs, timeoutMs, signal, onRound } = options;
  const failures = options.failures ?? successes;
  const clock = options.clock ?? systemClock;
  const fetchFn = options.fetch ?? proxyAwareFetch();
  const deadline = clock.now() + timeoutMs;
  let healthyInARow = 0;
  let failedInARow = 0;
  let lastFailure = '';
  for (let round = 1; ; round++) {
    const cancelled = () => new PollCancelledError(`verification cancelled after ${round - 1} rounds`, undefined);
    if (signal?.aborted) throw cancelled();
    const checks = await Promise.all(
      urls.map(async (url) => ({ url, outcome: await checkUrl(url, expectation, fetchFn, signal) })),
    ).catch((error: unknown) => {
      throw signal?.aborted ? cancelled() : error;
    });
    onRound?.(round, checks);
    const failed = checks.find((check) => !check.outcome.ok);
    if (failed && !failed.outcome.ok) {
      healthyInARow = 0;
      failedInARow++;
      lastFailure = `${failed.url}: ${failed.outcome.reason}`;
      if (failedInARow >= failures) {
        return {
          passed: false,
          rounds: round,
          reason: `${failedInARow} failed check${failedInARow > 1 ? 's' : ''} in a row, last: ${lastFailure}`,
        };
      }
    } else {
      failedInARow = 0;
      healthyInARow++;
      if (healthyInARow >= successes) return { passed: true, rounds: round };
    }
    if (clock.now() + intervalMs > deadline) {
      const last = lastFailure ? `; last failure: ${lastFailure}` : '';
      return {
        passed: false,
        rounds: round,
        reason: `no ${successes} healthy checks in a row within the verification timeout${last}`,
      };
    }
    await clock.sleep(intervalMs, signal).catch((error: unknown) => {
      throw signal?.aborted ? new PollCancelledError(`verification cancelled after ${round} rounds`, undefined) : error;
    });
  }
}

/**
 * fetch through the proxy the environment names (HTTPS_PROXY for https, HTTP_PROXY for http, NO_PROXY's exceptions,
 * loopback never proxied), decided by @actions/http-client as for every toolkit call, so verification reaches the
 * app the same way the runner reaches GitHub.
 */
export function proxyAwareFetch(): typeof fetch {
  const http = new HttpClient(`shipyard/${SHIPYARD_VERSION}`);
  const proxied = (url: string | URL | Request, init?: RequestInit) => {
    const target = url instanceof Request ? url.url : String(url);
    return undiciFetch(target, { ...init, dispatcher: http.getAgentDispatcher(target) } as Parameters<
      typeof undiciFetch
    >[1]);
  };
  return proxied as unknown as typeof fetch;
}

async function checkUrl(
  url: string,
  expectation: HttpExpectation,
  fetchFn: typeof fetch,
  signal: AbortSignal | undefined,
): Promise<CheckOutcome> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  try {
    const response = await fetchFn(url, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'follow',
      headers: { 'cache-control': 'no-cache' },
    });
    return checkResponse(response.status, await response.text(), expectation);
  } catch (error) {
    if (signal?.aborted) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `request failed (${cause ?? message})` };
  }
}
