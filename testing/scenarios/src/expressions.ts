/**
 * GitHub Actions expressions (`${{ … }}`), the subset workflows use: literals, context access (`a.b-c`, `a['b']`),
 * `!`, comparisons, `&&`, `||`, parentheses and the built-in functions. Semantics follow GitHub's expression
 * reference: loose equality with number coercion, case-insensitive string comparison and property names, `&&`/`||`
 * returning an operand, and missing properties evaluating to null.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

/** Contexts by name (`github`, `inputs`, …) plus the status functions of where the expression is evaluated. */
export interface ExpressionScope {
  contexts: Record<string, unknown>;
  status?: { success(): boolean; failure(): boolean; cancelled(): boolean };
}

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ',', '*'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let value = '';
      let j = 1;
      for (;;) {
        if (j >= rest.length) throw new Error(`unterminated string in expression: ${source}`);
        if (rest[j] === "'" && rest[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (rest[j] === "'") break;
        else value += rest[j++];
      }
      tokens.push({ kind: 'string', value });
      i += j + 1;
      continue;
    }
    const number = /^-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(rest);
    const previous = tokens.at(-1);
    if (number && !(previous?.kind === 'op' && previous.value === '.')) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!op) throw new Error(`unexpected "${rest[0]}" in expression: ${source}`);
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  return tokens;
}

type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'context'; name: string }
  | { kind: 'member'; object: Node; property: Node | '*' }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'not'; operand: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node };

const PRECEDENCE: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4 };

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Node {
    const node = this.binary(0);
    if (this.position < this.tokens.length) this.fail('unexpected trailing input');
    return node;
  }

  private fail(message: string): never {
    throw new Error(`${message} in expression: ${this.source}`);
  }

  private peekOp(value: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'op' && token.value === value;
  }

  private expectOp(value: string): void {
    if (!this.peekOp(value)) this.fail(`expected "${value}"`);
    this.position++;
  }

  private binary(minPrecedence: number): Node {
    let left = this.unary();
    for (;;) {
      const token = this.tokens[this.position];
      if (token?.kind !== 'op') return left;
      const precedence = PRECEDENCE[token.value];
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.position++;
      const right = this.binary(precedence + 1);
      left = { kind: 'binary', op: token.value, left, right };
    }
  }

  private unary(): Node {
    if (this.peekOp('!')) {
      this.position++;
      return { kind: 'not', operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private primary(): Node {
    const token = this.tokens[this.position++];
    if (!token) this.fail('unexpected end');
    if (token.kind === 'string' || token.kind === 'number') return { kind: 'literal', value: token.value };
    if (token.kind === 'op' && token.value === '(') {
      const inner = this.binary(0);
      this.expectOp(')');
      return inner;
    }
    if (token.kind !== 'name') this.fail(`unexpected "${token.value}"`);
    const word = token.value;
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true' };
    if (word === 'null') return { kind: 'literal', value: null };
    if (this.peekOp('(')) {
      this.position++;
      const args: Node[] = [];
      while (!this.peekOp(')')) {
        if (args.length) this.expectOp(',');
        args.push(this.binary(0));
      }
      this.position++;
      return { kind: 'call', name: word.toLowerCase(), args };
    }
    return { kind: 'context', name: word };
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.peekOp('.')) {
        this.position++;
        const token = this.tokens[this.position++];
        if (token?.kind === 'op' && token.value === '*') node = { kind: 'member', object: node, property: '*' };
        else if (token?.kind === 'name') {
          node = { kind: 'member', object: node, property: { kind: 'literal', value: token.value } };
        } else this.fail('expected a property name after "."');
      } else if (this.peekOp('[')) {
        this.position++;
        const property = this.peekOp('*') ? (this.position++, '*' as const) : this.binary(0);
        this.expectOp(']');
        node = { kind: 'member', object: node, property };
      } else return node;
    }
  }
}

/** GitHub's falsy values: false, 0, -0, "", null, NaN. */
export function truthy(value: Value): boolean {
  return !(value === false || value === null || value === '' || value === 0 || Number.isNaN(value));
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

function compare(op: string, left: Value, right: Value): boolean {
  if (typeof left === 'string' && typeof right === 'string') {
    const a = left.toUpperCase();
    const b = right.toUpperCase();
    if (op === '==') return a === b;
    if (op === '!=') return a !== b;
    return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
  }
  const objects = typeof left === 'object' && left !== null && typeof right === 'object' && right !== null;
  if (objects && (op === '==' || op === '!=')) return (left === right) === (op === '==');
  const a = toNumber(left);
  const b = toNumber(right);
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

/** Property lookup: exact name first, then case-insensitively (contexts are case-insensitive). */
function property(object: Value, key: Value): Value {
  if (Array.isArray(object)) return typeof key === 'number' ? (object[key] ?? null) : null;
  if (typeof object !== 'object' || object === null) return null;
  const name = String(key);
  if (Object.hasOwn(object, name)) return object[name] ?? null;
  const match = Object.keys(object).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return match === undefined ? null : (object[match] ?? null);
}

/** How a value reads when interpolated into a string. */
export function toText(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

function call(name: string, args: Value[], scope: ExpressionScope): Value {
  const text = (i: number) => toText(args[i] ?? null);
  switch (name) {
    case 'success':
    case 'failure':
    case 'cancelled':
      if (!scope.status) throw new Error(`${name}() is not available here`);
      return scope.status[name]();
    case 'always':
      return true;
    case 'contains': {
      const [haystack] = args;
      if (Array.isArray(haystack)) return haystack.some((item) => compare('==', item, args[1] ?? null));
      return text(0).toLowerCase().includes(text(1).toLowerCase());
    }
    case 'startswith':
      return text(0).toLowerCase().startsWith(text(1).toLowerCase());
    case 'endswith':
      return text(0).toLowerCase().endsWith(text(1).toLowerCase());
    case 'format':
      return text(0)
        .replace(/\{(\d+)\}/g, (_, index: string) => text(Number(index) + 1))
        .replace(/\{\{/g, '{')
        .replace(/\}\}/g, '}');
    case 'join': {
      const [items] = args;
      const separator = args.length > 1 ? text(1) : ',';
      return Array.isArray(items) ? items.map(toText).join(separator) : text(0);
    }
    case 'tojson':
      return JSON.stringify(args[0] ?? null, null, 2);
    case 'fromjson':
      return JSON.parse(text(0)) as Value;
    default:
      throw new Error(`the function ${name}() is not supported here`);
  }
}

function evaluateNode(node: Node, scope: ExpressionScope): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'context':
      return property(scope.contexts as Value, node.name);
    case 'member': {
      const object = evaluateNode(node.object, scope);
      if (node.property === '*') {
        const items = Array.isArray(object)
          ? object
          : object && typeof object === 'object'
            ? Object.values(object)
            : [];
        return items;
      }
      return property(object, evaluateNode(node.property, scope));
    }
    case 'call':
      return call(
        node.name,
        node.args.map((arg) => evaluateNode(arg, scope)),
        scope,
      );
    case 'not':
      return !truthy(evaluateNode(node.operand, scope));
    case 'binary': {
      const left = evaluateNode(node.left, scope);
      if (node.op === '&&') return truthy(left) ? evaluateNode(node.right, scope) : left;
      if (node.op === '||') return truthy(left) ? left : evaluateNode(node.right, scope);
      return compare(node.op, left, evaluateNode(node.right, scope));
    }
  }
}

/** Evaluates one expression (without the `${{ }}`). */
export function evaluate(expression: string, scope: ExpressionScope): Value {
  return evaluateNode(new Parser(tokenize(expression), expression).parse(), scope);
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
    return value.replace(TEMPLATE, (_, expression: string) => toText(evaluate(expression, scope)));
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
  const value = truthy(evaluate(expression, scope));
  return usesStatus ? value : value && (scope.status?.success() ?? true);
}
