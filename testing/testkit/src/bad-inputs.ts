/**
 * The generated bad-input corpus: for every input of an action.yml, malformed values made by fast-check from the
 * input's kind (the typed reader that parses it), each run through the bundled action against aws-sim. A case
 * passes when the step fails with an `::error` naming the input, without one mutating AWS request, without a stack
 * trace and without hanging.
 */
import { basename } from 'node:path';
import fc from 'fast-check';
import { readActionMetadata } from './action-metadata';
import type { ActionRun } from './run-action';

/** The reader an input goes through, which decides what is malformed for it. */
export type InputKind =
  | 'boolean'
  | 'integer'
  | 'duration'
  | 'list'
  | 'map'
  /** JSON or YAML inline, or the path of a file holding it. */
  | 'structured'
  | 'json-array'
  | 'path'
  /** One of a fixed set of words. */
  | 'choice'
  /** A name or id with a grammar: ECS, AWS, registry, tag, URL, … */
  | 'identifier'
  /** A display name: any printable line, so only unprintable and oversized values are malformed. */
  | 'text';

export interface InputSpec {
  kind: InputKind;
  /** Inputs that make this one apply (e.g. `scan-wait: true` for `scan-timeout`). */
  with?: Record<string, string>;
  /** Put before each value, e.g. `npmrc=` for the path in an `id=path` line. */
  prefix?: string;
  /** The malformed values, when the kind's generic ones include values this input rightly accepts. */
  values?: string[];
}

/** Every input of the action.yml: a spec, or a reason why no value is malformed (free text, secrets). */
export type InputTable = Record<string, InputSpec | { free: string }>;

export interface BadInputCase {
  input: string;
  value: string;
  /** The other inputs of the step. */
  inputs: Record<string, string>;
}

const SHELL = ['; touch /tmp/shipyard-pwned', '$(id)', '`id`', ' | cat /etc/passwd', ' && curl example.com'];
const TRAVERSAL = ['../../../../../../etc/passwd', '/etc/passwd', '..\\..\\windows\\win.ini'];

// No NUL: an environment variable cannot hold one, so no runner can pass it as an input.
const CONTROL = ['\u0001', '\u0007', '\u001b[31m', '\u007f'];
const controlled = fc
  .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom(...CONTROL))
  // Starts with a letter: a leading "#" would make the line a comment in list and map inputs, i.e. no value.
  .map(([text, control]) => `x${text}${control}x`);
const huge = fc.nat({ max: 3 }).map((extra) => 'A'.repeat(5_000 * (extra + 1)));

/** Malformations every kind refuses: control characters, line breaks, shell syntax, traversal, unicode, sheer size. */
const anyKind: fc.Arbitrary<string> = fc.oneof(
  controlled,
  fc.constantFrom(...SHELL).map((shell) => `x${shell}`),
  fc.constantFrom(...TRAVERSAL),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map((text) => `\u202e${text}ｗｅｂ😀`),
  huge,
);

const number = (sign: string) => fc.bigInt({ min: 10n ** 20n, max: 10n ** 30n }).map((n) => `${sign}${n}`);

/** What is malformed for each kind on top of `anyKind`. */
const BY_KIND: Record<InputKind, fc.Arbitrary<string>> = {
  boolean: fc.constantFrom('yes', 'on', '1', 'ture', 'false!', 'null', '"true"'),
  integer: fc.oneof(
    fc.integer({ min: -1_000_000, max: -1 }).map(String),
    number(''),
    number('-'),
    fc.constantFrom('1e3', '0x10', '1.5', 'NaN', 'Infinity', '١٢'),
  ),
  duration: fc.oneof(
    fc.integer({ min: 1, max: 10_000 }).map((n) => `-${n}s`),
    fc.integer({ min: 121, max: 100_000_000 }).map((n) => `${n}h`),
    number('').map((n) => `${n}ms`),
    fc.constantFrom('1.5h', '5 m', '10M', '1d', 'PT5M', 'soon'),
  ),
  list: fc.constantFrom(',,;,', 'a b', 'ok,\u0001bad', 'x\n$(id)'),
  map: fc.constantFrom('NOEQUALS', '1BAD=x', 'A=1\nA=2', '=value', 'KEY WITH SPACE=1'),
  structured: fc.oneof(
    fc
      .json({ maxDepth: 2 })
      .filter((json) => json.length > 2)
      .map((json) => json.slice(0, json.length - 1)),
    fc.constantFrom('{"a":', '[1, 2', '{ a: [ }', 'key: value: other', ...TRAVERSAL),
  ),
  'json-array': fc.oneof(
    fc.json({ maxDepth: 1 }).filter((json) => !json.startsWith('[') || !json.includes('"')),
    fc.constantFrom('["npm",', '[]', '[1, 2]', '{"cmd": "npm"}', 'npm run migrate'),
  ),
  path: fc.oneof(fc.constantFrom(...TRAVERSAL), fc.constantFrom('missing/nowhere.txt', 'a\u0001b')),
  choice: fc.constantFrom('maybe', 'DEFAULT!', 'all', '*'),
  text: fc.oneof(controlled, huge, fc.constantFrom('\u202eevil', 'two\rlines')),
  identifier: fc.constantFrom('has space', 'a;b', '../x', '{}', 'x'.repeat(300)),
};

function seedOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return hash;
}

function distinct(values: string[]): string[] {
  return [...new Set(values.filter((value) => value.trim() !== ''))];
}

/**
 * The cases for one action: for each input with a kind, `perInput` values (half of its own kind, half of
 * `anyKind`, deterministic per input), plus empty and blank values for required inputs; `base` gives the other
 * inputs. Throws when the table and action.yml disagree, so a new input cannot be left out.
 */
export function badInputCases(
  actionDir: string,
  table: InputTable,
  base: Record<string, string>,
  perInput: number,
): BadInputCase[] {
  const declared = readActionMetadata(actionDir).inputs;
  const names = Object.keys(declared).sort();
  if (names.join() !== Object.keys(table).sort().join()) {
    throw new Error(`the input table of ${actionDir} must list exactly ${names.join(', ')}`);
  }
  return Object.entries(table).flatMap(([input, spec]) => {
    if ('free' in spec) return [];
    // By the action's folder name, not its path: every checkout draws the same cases.
    const seed = seedOf(`${basename(actionDir)} ${input}`);
    const ownCount = Math.ceil(perInput / 2);
    const drawn = (kind: fc.Arbitrary<string>, offset: number) =>
      distinct(fc.sample(kind, { seed: seed + offset, numRuns: 30 }));
    const own = (spec.values ?? drawn(BY_KIND[spec.kind], 0)).slice(0, spec.values ? perInput : ownCount);
    const generic = spec.values
      ? []
      : drawn(spec.kind === 'text' ? BY_KIND.text : anyKind, 1)
          .filter((value) => !own.includes(value))
          .slice(0, perInput - ownCount);
    const blank = declared[input].required ? ['', ' \n\t '] : [];
    return [...blank, ...own, ...generic].map((value) => ({
      input,
      value: `${spec.prefix ?? ''}${value}`,
      inputs: { ...base, ...spec.with, [input]: `${spec.prefix ?? ''}${value}` },
    }));
  });
}

/** Defaults of the corpus: the set `npm test` runs, or the bigger one with SHIPYARD_BAD_INPUTS=full. */
export function corpusSize(): { perInput: number; concurrency: number } {
  return process.env.SHIPYARD_BAD_INPUTS === 'full' ? { perInput: 8, concurrency: 2 } : { perInput: 2, concurrency: 2 };
}

// A V8 stack frame: "    at fn (file.js:1:2)" or "    at file.js:1:2".
const STACK_FRAME = /^\s+at (?:.+ \()?\S+:\d+:\d+\)?$/m;

/** What is wrong with how a case ended; empty when it ended as a refused input should. */
export function caseProblems(input: string, run: ActionRun, mutating: string[]): string[] {
  const problems: string[] = [];
  if (run.timedOut) problems.push('did not end (timed out)');
  else if (run.exitCode === 0) problems.push('exited 0');
  const errors = run.annotations.filter((annotation) => annotation.level === 'error').map((a) => a.message);
  if (!errors.some((message) => message.includes(`"${input}"`))) {
    problems.push(`no ::error names "${input}" (${JSON.stringify(errors.join(' | ').slice(0, 200))})`);
  }
  if (mutating.length > 0) problems.push(`mutating requests: ${mutating.join(', ')}`);
  if ([run.rawLog, run.post?.rawLog ?? ''].some((log) => STACK_FRAME.test(log))) problems.push('printed a stack trace');
  return problems;
}

/** Runs `work` over `items` with at most `limit` at once, each worker holding one of `slots` (e.g. one sim each). */
export async function runPooled<T, S, R>(items: T[], slots: S[], work: (item: T, slot: S) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    slots.map(async (slot) => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], slot);
      }
    }),
  );
  return results;
}

/** A value as a failure report shows it: escaped, and cut. */
export function shortValue(value: string): string {
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}…"` : json;
}

/** One place a case can run: its own sim (and workspace), so requests are never mixed up between cases. */
export interface CorpusSlot {
  run(inputs: Record<string, string>): Promise<ActionRun>;
  /** Mutating requests the sim saw since the last clear, as `Operation` names. */
  mutating(): string[];
  clear(): void;
}

/** The part of aws-sim's control a slot needs (structural, so testkit needs no dependency on aws-sim). */
interface SimRequestLog {
  control: { mutatingRequests(): { operation: string }[]; clearRequests(): void };
}

/** A slot around one sim: `run` runs the bundled action against it. */
export function simSlot(sim: SimRequestLog, run: CorpusSlot['run']): CorpusSlot {
  return {
    run,
    mutating: () => sim.control.mutatingRequests().map((request) => request.operation),
    clear: () => sim.control.clearRequests(),
  };
}

export interface CorpusReport {
  cases: number;
  /** One line per case that did not end as a refused input should: the input, the value, what went wrong. */
  failures: string[];
  mutatingRequests: number;
  stackTraces: number;
}

/** Runs every case, `slots.length` at a time, and reports how each ended. */
export async function runBadInputCorpus(cases: BadInputCase[], slots: CorpusSlot[]): Promise<CorpusReport> {
  const outcomes = await runPooled(cases, slots, async (item, slot) => {
    slot.clear();
    const run = await slot.run(item.inputs);
    const mutating = slot.mutating();
    return { item, mutating, problems: caseProblems(item.input, run, mutating) };
  });
  return {
    cases: cases.length,
    failures: outcomes
      .filter((outcome) => outcome.problems.length > 0)
      .map((o) => `${o.item.input}=${shortValue(o.item.value)}: ${o.problems.join('; ')}`),
    mutatingRequests: outcomes.reduce((sum, outcome) => sum + outcome.mutating.length, 0),
    stackTraces: outcomes.filter((outcome) => outcome.problems.includes('printed a stack trace')).length,
  };
}
