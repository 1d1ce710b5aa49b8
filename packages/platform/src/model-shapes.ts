// Checks a value against an AWS API model's shapes (botocore's service-2.json, kept as the compact ShapeTable that
// scripts/aws-models.ts writes): the one walker behind ecs-deploy's task-definition checks and aws-sim's
// conformance test. Pure and dependency-free, so it costs the bundle next to nothing.

/**
 * A model shape, trimmed to what a check needs: no documentation, and of the wire details only what reading an XML
 * answer needs (kept for the XML protocols only): element names that differ from member names (`xmlNames`), members
 * sent as headers rather than in the body (`headers`), the member that is the whole body (`payload`), and the
 * element name of a list's items (`xmlMember`, default `member`).
 */
export type Shape =
  | {
      type: 'structure';
      members: Record<string, string>;
      required?: string[];
      xmlNames?: Record<string, string>;
      headers?: string[];
      payload?: string;
    }
  | { type: 'list'; member: string; min?: number; max?: number; xmlMember?: string; flattened?: boolean }
  | { type: 'map'; key: string; value: string; min?: number; max?: number }
  | { type: 'string'; enum?: string[]; min?: number; max?: number; pattern?: string }
  | { type: 'integer' | 'long' | 'float' | 'double'; min?: number; max?: number }
  | { type: 'boolean' | 'timestamp' | 'blob' };

export type ShapeTable = Record<string, Shape>;

/** One service's model as scripts/aws-models.ts trims it (aws-models/<service>.json). */
export interface TrimmedModel {
  source: string;
  commit: string;
  sha256: string;
  protocol: string;
  apiVersion: string;
  operations: Record<
    string,
    {
      input?: string;
      output?: string;
      errors: string[];
      /** XML protocols: the HTTP status of a success when not 200, and the Query protocol's result element. */
      status?: number;
      resultWrapper?: string;
    }
  >;
  shapes: ShapeTable;
}

/** Where in the checked value a problem is: keys and list indexes from the root. */
export type ValuePath = (string | number)[];

export interface ShapeProblem {
  path: ValuePath;
  /** A short heading for an annotation: `Unknown key`, `Wrong type`, `Unknown value`, `Missing key`, `Out of range`. */
  title: string;
  message: string;
}

export interface CheckOptions {
  /** Files may hold `"key": null` (RegisterTaskDefinition callers drop them); API answers may not. */
  allowNull?: boolean;
  /** Keys accepted at the root besides the shape's members (e.g. read-only fields of a saved description). */
  extraRootKeys?: readonly string[];
  /**
   * Whether to check lengths, ranges and patterns. They constrain requests: an answer may hold an empty list of a
   * shape whose requests need one item, so answers are checked without them.
   */
  limits?: boolean;
}

/** `containerDefinitions[0].portMappings[1].protocol`, or `(top level)` for the root. */
export function formatPath(path: ValuePath): string {
  const text = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');
  return text ? text.replace(/^\./, '') : '(top level)';
}

/** Every way `value` breaks the shape `shapeName` of `table`, in document order. */
export function checkShape(
  table: ShapeTable,
  shapeName: string,
  value: unknown,
  options: CheckOptions = {},
): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const report = (path: ValuePath, title: string, message: string): void =>
    void problems.push({ path, title, message: `${formatPath(path)}: ${message}` });

  const visit = (name: string, item: unknown, path: ValuePath): void => {
    const shape = table[name];
    if (!shape) throw new Error(`The model table has no shape ${name}.`);
    if (item === null && options.allowNull) return;
    const wrong = typeProblem(shape, item);
    if (wrong) return report(path, 'Wrong type', `${wrong}, got ${describeValue(item)}`);
    switch (shape.type) {
      case 'structure':
        return visitStructure(shape, item as Record<string, unknown>, path);
      case 'list':
        checkCount(shape, (item as unknown[]).length, path, 'items');
        return (item as unknown[]).forEach((member, index) => visit(shape.member, member, [...path, index]));
      case 'map': {
        const entries = Object.entries(item as Record<string, unknown>);
        checkCount(shape, entries.length, path, 'entries');
        for (const [key, member] of entries) {
          visit(shape.key, key, [...path, key]);
          visit(shape.value, member, [...path, key]);
        }
        return;
      }
      case 'string':
        return checkString(shape, item as string, path);
      default:
        return;
      case 'integer':
      case 'long':
      case 'float':
      case 'double':
        return checkRange(shape, item as number, path);
    }
  };

  const visitStructure = (
    shape: Extract<Shape, { type: 'structure' }>,
    item: Record<string, unknown>,
    path: ValuePath,
  ) => {
    const known = Object.keys(shape.members);
    for (const [key, member] of Object.entries(item)) {
      const memberShape = shape.members[key];
      if (memberShape) visit(memberShape, member, [...path, key]);
      else if (!(path.length === 0 && options.extraRootKeys?.includes(key))) {
        report([...path, key], 'Unknown key', `unknown key ${JSON.stringify(key)}${suggestion(key, known)}`);
      }
    }
    for (const key of shape.required ?? []) {
      if (item[key] === undefined || item[key] === null)
        report(path, 'Missing key', `${JSON.stringify(key)} is required`);
    }
  };

  const limits = options.limits ?? true;
  const checkCount = (shape: { min?: number; max?: number }, count: number, path: ValuePath, unit: string) => {
    if (!limits) return;
    if (shape.min !== undefined && count < shape.min)
      report(path, 'Out of range', `has ${count} ${unit}; at least ${shape.min}`);
    if (shape.max !== undefined && count > shape.max)
      report(path, 'Out of range', `has ${count} ${unit}; at most ${shape.max}`);
  };

  const checkString = (shape: Extract<Shape, { type: 'string' }>, item: string, path: ValuePath) => {
    if (shape.enum && !shape.enum.includes(item)) {
      const accepted = shape.enum.map((v) => JSON.stringify(v)).join(', ');
      return report(
        path,
        'Unknown value',
        `${JSON.stringify(item)} is not one of ${accepted}${suggestion(item, shape.enum)}`,
      );
    }
    // Lengths count characters as the API does (code points), not UTF-16 units.
    checkCount(shape, [...item].length, path, 'characters');
    const pattern = limits && shape.pattern && compile(shape.pattern);
    if (pattern && !pattern.test(item))
      report(path, 'Wrong format', `${JSON.stringify(item)} does not match the pattern ${shape.pattern}`);
  };

  const checkRange = (shape: { min?: number; max?: number }, item: number, path: ValuePath) => {
    if (limits && ((shape.min !== undefined && item < shape.min) || (shape.max !== undefined && item > shape.max))) {
      const range = [
        shape.min !== undefined && `at least ${shape.min}`,
        shape.max !== undefined && `at most ${shape.max}`,
      ];
      report(path, 'Out of range', `${item} must be ${range.filter(Boolean).join(' and ')}`);
    }
  };

  visit(shapeName, value, []);
  return problems;
}

const TYPE_NAMES: Record<Shape['type'], string> = {
  structure: 'an object',
  list: 'a list',
  map: 'an object of key/value pairs',
  string: 'a string',
  integer: 'a whole number',
  long: 'a whole number',
  float: 'a number',
  double: 'a number',
  boolean: 'true or false',
  timestamp: 'a timestamp (epoch seconds)',
  blob: 'base64 text',
};

/** Why `value` is not of the shape's type, or undefined when it is. */
function typeProblem(shape: Shape, value: unknown): string | undefined {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const fits: Record<Shape['type'], boolean> = {
    structure: isObject,
    map: isObject,
    list: Array.isArray(value),
    string: typeof value === 'string',
    integer: Number.isInteger(value),
    long: Number.isInteger(value),
    float: typeof value === 'number',
    double: typeof value === 'number',
    boolean: typeof value === 'boolean',
    timestamp: typeof value === 'number',
    blob: typeof value === 'string',
  };
  if (fits[shape.type]) return undefined;
  const quoted = shape.type === 'string' && (typeof value === 'number' || typeof value === 'boolean');
  return `must be ${TYPE_NAMES[shape.type]}${quoted ? ` (write "${String(value)}" in quotes)` : ''}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

const compiled = new Map<string, RegExp | undefined>();

/** The model's patterns are Java regular expressions; the few JavaScript cannot read are skipped, not guessed. */
function compile(pattern: string): RegExp | undefined {
  if (!compiled.has(pattern)) {
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      regex = undefined;
    }
    compiled.set(pattern, regex);
  }
  return compiled.get(pattern);
}

/** `; did you mean "x"?` when one candidate is close to `word`, else nothing. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : `; did you mean ${JSON.stringify(match)}?`;
}

/**
 * The candidate nearest to `word` (case ignored, transpositions count once), if it is near enough to be the intended
 * one: at most a third of the word's length away, and at least one edit.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  const limit = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  return best && best.distance <= limit ? best.candidate : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}
