/**
 * GitHub Actions expressions (`${{ … }}`), evaluated by GitHub's own implementation (`@actions/expressions`, the
 * one behind the workflow language service): parsing, operators, coercions and the built-in functions are GitHub's.
 * This module adds what the library leaves to its caller: the status functions, the contexts as plain values,
 * `${{ }}` templates, and the implicit `success() &&` of a condition. The workflow runner of @shipyard/scenarios,
 * runAction's `post-if` and action.yml input defaults all evaluate through it.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy as isTruthy } from '@actions/expressions/result';

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** The status functions' answers where the expression is evaluated (a job's or a step's). */
export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

/** Contexts by name (`github`, `inputs`, …) plus the status functions of where the expression is evaluated. */
export interface ExpressionScope {
  contexts: Record<string, unknown>;
  status?: StatusFunctions;
}

/** GitHub's contexts: a name among these that the scope does not give evaluates to null, as an empty context. */
const CONTEXT_NAMES = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
];

const STATUS_FUNCTION_NAMES = ['success', 'failure', 'cancelled', 'always'] as const;

function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  if (typeof value === 'object') {
    return new data.Dictionary(...Object.entries(value).map(([key, item]) => ({ key, value: toData(item) })));
  }
  return new data.StringData(String(value));
}

function fromData(value: data.ExpressionData): Value {
  if (value instanceof data.Null) return null;
  if (value instanceof data.BooleanData) return value.value;
  if (value instanceof data.NumberData) return value.value;
  if (value instanceof data.StringData) return value.coerceString();
  if (value instanceof data.Dictionary) {
    return Object.fromEntries(value.pairs().map(({ key, value: item }) => [key, fromData(item)]));
  }
  return value.values().map(fromData);
}

function statusFunctions(scope: ExpressionScope): Map<string, FunctionDefinition> {
  const answer = (name: (typeof STATUS_FUNCTION_NAMES)[number]): boolean => {
    if (name === 'always') return true;
    if (!scope.status) throw new Error(`${name}() is not available here`);
    return scope.status[name]();
  };
  return new Map(
    STATUS_FUNCTION_NAMES.map((name) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(answer(name)) },
    ]),
  );
}

function evaluateData(expression: string, scope: ExpressionScope): data.ExpressionData {
  const contexts = { ...Object.fromEntries(CONTEXT_NAMES.map((name) => [name, null])), ...scope.contexts };
  try {
    const { tokens } = new Lexer(expression).lex();
    const functions = statusFunctions(scope);
    const tree = new Parser(tokens, Object.keys(contexts), [...functions.values()]).parse();
    return new Evaluator(tree, toData(contexts) as data.Dictionary, functions).evaluate();
  } catch (error) {
    const { message } = error as Error;
    throw new Error(message.includes(expression) ? message : `${message} in expression: ${expression}`, {
      cause: error,
    });
  }
}

/** Evaluates one expression (without the `${{ }}`). */
export function evaluate(expression: string, scope: ExpressionScope): Value {
  return fromData(evaluateData(expression, scope));
}

/** GitHub's falsy values: false, 0, -0, "", null, NaN. */
export function truthy(value: Value): boolean {
  return isTruthy(toData(value));
}

/**
 * How the emulator hands a whole value to something that takes a string (an input, an output, an environment
 * variable): null is empty, objects and arrays their JSON; inside a longer string GitHub's coercion applies instead.
 */
export function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return toData(value).coerceString();
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * A workflow value: strings with `${{ }}` are evaluated (a string that is exactly one expression keeps the value's
 * type, as for `matrix: ${{ fromJSON(…) }}`), arrays and objects recursively, anything else as is.
 */
export function interpolate(value: unknown, scope: ExpressionScope): Value {
  if (typeof value === 'string') {
    const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
    if (whole && !whole[1].includes('}}')) return evaluate(whole[1], scope);
    return value.replace(TEMPLATE, (_, expression: string) => evaluateData(expression, scope).coerceString());
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, scope));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolate(item, scope)]));
  }
  return (value ?? null) as Value;
}

/** An `if:` condition: with or without `${{ }}`; without a status function it means `success() && (…)`. */
export function evaluateCondition(condition: unknown, scope: ExpressionScope): boolean {
  if (condition === undefined || condition === null || condition === '') return scope.status?.success() ?? true;
  if (typeof condition === 'boolean') return condition && (scope.status?.success() ?? true);
  const text = String(condition).trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text);
  const expression = whole ? whole[1] : text;
  const usesStatus = /\b(success|failure|cancelled|always)\s*\(/i.test(expression);
  const value = isTruthy(evaluateData(expression, scope));
  return usesStatus ? value : value && (scope.status?.success() ?? true);
}
