/**
 * Reads an action.yml, turns a test's inputs into the INPUT_* variables the runner would set, and evaluates its
 * expressions (input defaults, `post-if`) as the runner does.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { evaluateCondition, interpolate, toText, type ExpressionScope } from './expressions';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

/** Shared between the steps of an action (parsed once), so read-only. */
export interface ActionMetadata {
  readonly name: string;
  readonly inputs: Readonly<Record<string, Readonly<ActionInput>>>;
  /** Absolute paths of the entry points. */
  readonly main: string;
  readonly post?: string;
  readonly postIf?: string;
}

interface RawActionYaml {
  name?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown } | null>;
  runs?: { using?: string; main?: string; post?: string; 'post-if'?: string };
}

// Parsed once per content: every harnessed step reads its action.yml, and parsing it costs more than running a small
// step's harness; keyed by the text, an edited action.yml is parsed again.
const parsed = new Map<string, ActionMetadata>();

export function readActionMetadata(actionDir: string): ActionMetadata {
  const file = join(actionDir, 'action.yml');
  const text = readFileSync(file, 'utf8');
  const key = `${actionDir}\0${text}`;
  const known = parsed.get(key);
  if (known) return known;
  const metadata = parseActionMetadata(actionDir, file, text);
  parsed.set(key, metadata);
  return metadata;
}

function parseActionMetadata(actionDir: string, file: string, text: string): ActionMetadata {
  const raw = (parse(text) ?? {}) as RawActionYaml;
  const runs = raw.runs;
  if (!runs?.using?.startsWith('node') || !runs.main) {
    throw new Error(`${file}: the harness runs JavaScript actions only (runs.using: node24 with runs.main)`);
  }
  const inputs: Record<string, ActionInput> = {};
  for (const [name, spec] of Object.entries(raw.inputs ?? {})) {
    inputs[name] = {
      description: spec?.description,
      required: spec?.required === true,
      // YAML may type a default as a number or boolean; the runner hands every input over as a string.
      default: spec?.default === undefined || spec.default === null ? undefined : String(spec.default),
    };
  }
  return {
    name: raw.name ?? actionDir,
    inputs,
    main: resolve(actionDir, runs.main),
    post: runs.post === undefined ? undefined : resolve(actionDir, runs.post),
    postIf: runs['post-if'],
  };
}

/** `INPUT_<NAME>`: upper-cased, spaces become `_`, hyphens are kept (what @actions/core getInput reads). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** How main ended, as the status functions of `post-if` see it. */
export type StepConclusion = 'success' | 'failure' | 'cancelled';

/** The runner's default when action.yml has no `post-if`. */
export const DEFAULT_POST_IF = 'always()';

/**
 * The `github` and `runner` contexts of a step, from the variables the runner exports for them (github.token from
 * GITHUB_TOKEN, github.x from GITHUB_X, runner.x from RUNNER_X); other contexts are empty.
 */
function stepScope(env: Record<string, string | undefined>, conclusion?: StepConclusion): ExpressionScope {
  const context = (prefix: string) =>
    Object.fromEntries(
      Object.entries(env)
        .filter(([name, value]) => name.startsWith(prefix) && value !== undefined)
        .map(([name, value]) => [name.slice(prefix.length).toLowerCase(), value]),
    );
  const status = conclusion && {
    success: () => conclusion === 'success',
    failure: () => conclusion === 'failure',
    cancelled: () => conclusion === 'cancelled',
  };
  return { contexts: { github: context('GITHUB_'), runner: context('RUNNER_') }, status };
}

/** Evaluates a default from action.yml against the step environment; literal defaults pass through. */
export function evaluateDefault(value: string, env: Record<string, string | undefined>): string {
  return toText(interpolate(value, stepScope(env)));
}

/** Whether the post step runs: `post-if` (default `always()`) against main's conclusion, as the runner decides. */
export function postIfHolds(
  condition: string | undefined,
  conclusion: StepConclusion,
  env: Record<string, string | undefined>,
): boolean {
  return evaluateCondition(condition ?? DEFAULT_POST_IF, stepScope(env, conclusion));
}

/**
 * The INPUT_* variables for one step: every given input plus the defaults of the others. An input that action.yml
 * does not declare throws (the runner only warns, but in a test it is always a typo). Required inputs are not
 * enforced, just as the runner does not enforce them.
 */
export function inputVariables(
  metadata: ActionMetadata,
  given: Record<string, string>,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const declared = Object.keys(metadata.inputs);
  const unknown = Object.keys(given).filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `${metadata.name}: unexpected input(s) ${unknown.map((n) => `'${n}'`).join(', ')}; action.yml declares ${declared.join(', ') || 'none'}`,
    );
  }
  const variables: Record<string, string> = {};
  for (const [name, spec] of Object.entries(metadata.inputs)) {
    const value = given[name] ?? (spec.default === undefined ? undefined : evaluateDefault(spec.default, env));
    if (value !== undefined) variables[inputEnvName(name)] = value;
  }
  return variables;
}
