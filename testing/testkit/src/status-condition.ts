/**
 * Evaluates a `post-if` condition the way the runner does for a post step: against the job status left by main.
 * Only the status functions (`always()`, `success()`, `failure()`, `cancelled()`) combined with `!`, `&&`, `||`
 * and parentheses are supported; anything else throws rather than guessing.
 */

export type StepConclusion = 'success' | 'failure' | 'cancelled';

/** The runner's default when action.yml has no `post-if`. */
export const DEFAULT_POST_IF = 'always()';

const STATUS_FUNCTIONS: Record<string, (status: StepConclusion) => boolean> = {
  always: () => true,
  success: (status) => status === 'success',
  failure: (status) => status === 'failure',
  cancelled: (status) => status === 'cancelled',
};

const TOKEN = /\s*(\(|\)|!|&&|\|\||[A-Za-z_][\w-]*\s*\(\s*\))/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) {
      if (expression.slice(start).trim() === '') break;
      throw new Error(`unsupported post-if '${expression}': unexpected '${expression.slice(start).trim()}'`);
    }
    tokens.push(match[1].replace(/\s+/g, ''));
  }
  return tokens;
}

/** Recursive descent over: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | atom. */
export function evaluatePostIf(condition: string | undefined, status: StepConclusion): boolean {
  const expression = (condition ?? DEFAULT_POST_IF).trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const tokens = tokenize(expression);
  let position = 0;
  const fail = (what: string): never => {
    throw new Error(`unsupported post-if '${expression}': ${what}`);
  };
  const or = (): boolean => {
    let value = and();
    while (tokens[position] === '||') {
      position++;
      value = and() || value;
    }
    return value;
  };
  const and = (): boolean => {
    let value = unary();
    while (tokens[position] === '&&') {
      position++;
      value = unary() && value;
    }
    return value;
  };
  const unary = (): boolean => {
    const token = tokens[position++];
    if (token === '!') return !unary();
    if (token === '(') {
      const value = or();
      if (tokens[position++] !== ')') fail("missing ')'");
      return value;
    }
    const name = token?.endsWith('()') ? token.slice(0, -2).toLowerCase() : undefined;
    const fn = name === undefined ? undefined : STATUS_FUNCTIONS[name];
    return fn ? fn(status) : fail(token === undefined ? 'unexpected end' : `'${token}' is not a status function`);
  };
  if (tokens.length === 0) fail('empty condition');
  const result = or();
  if (position !== tokens.length) fail(`unexpected '${tokens[position]}'`);
  return result;
}
