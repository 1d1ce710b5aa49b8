import { evaluate, evaluateCondition, interpolate, toText, truthy, type ExpressionScope } from '../src/expressions';

const contexts = {
  inputs: { 'aws-region': 'eu-north-1', 'dry-run': true, 'create-repository': false, environment: 'production' },
  needs: {
    prepare: { outputs: { ecr: 'true', images: '[{"container":"api"}]', staging: 'false' }, result: 'success' },
  },
  github: { ref_name: 'main', repository: 'acme/app', event: { commits: [{ id: 'a' }, { id: 'b' }] } },
  matrix: { image: { container: 'api', digest: 'sha256:abc' } },
  job: { workflow_sha: '0123' },
};
const succeeded = { success: () => true, failure: () => false, cancelled: () => false };
const failed = { success: () => false, failure: () => true, cancelled: () => false };
const cancelled = { success: () => false, failure: () => false, cancelled: () => true };
const scope = (status = succeeded): ExpressionScope => ({ contexts, status });

describe('evaluate', () => {
  describe.each<[string, [string, unknown][]]>([
    [
      'literals',
      [
        ['null', null],
        ['true', true],
        ['false', false],
        ['711', 711],
        ['-9.2', -9.2],
        ['0xff', 255],
        ['-2.99e-2', -0.0299],
        ["'It''s open source!'", "It's open source!"],
      ],
    ],
    [
      'contexts: property and index access, case-insensitive, null when missing',
      [
        ['inputs.aws-region', 'eu-north-1'],
        ["inputs['aws-region']", 'eu-north-1'],
        ['INPUTS.AWS-REGION', 'eu-north-1'],
        ['inputs.missing', null],
        ['inputs.missing.deeper', null],
        ['vars.not-given', null],
        ['github.event.commits[1].id', 'b'],
        ['github.event.commits[5].id', null],
        ['github.event.commits.*.id', ['a', 'b']],
        ["contains(github.event.commits.*.id, 'B')", true],
      ],
    ],
    [
      'operators: comparison, logic returning an operand, precedence',
      [
        ["inputs.environment == 'PRODUCTION'", true],
        ["inputs.environment != 'production'", false],
        ["'abc' < 'ABD'", true],
        ['(1 < 2) && (2 >= 2)', true],
        ['!inputs.dry-run', false],
        ["needs.prepare.outputs.ecr == 'true' && inputs.aws-region || ''", 'eu-north-1'],
        ["needs.prepare.outputs.staging == 'true' && 'staging' || ''", ''],
        ["inputs.create-repository && 'true' || ''", ''],
        ["inputs.dry-run && ' (dry run)' || ''", ' (dry run)'],
        ["github.ref_name == 'main' && 'staging, production' || 'staging'", 'staging, production'],
        ["0 || null || 'last'", 'last'],
        ["'' && 'never'", ''],
        ['1 == 1 && 2 == 3 || 4 == 4', true],
      ],
    ],
    [
      'coercions: to number when the types differ',
      [
        ['1 == true', true],
        ['0 == false', true],
        ["'' == 0", true],
        ['null == 0', true],
        ["'1.5' == 1.5", true],
        ["' 2 ' == 2", true],
        // 'true' is not a number: NaN equals nothing, the classic `inputs.x == true` trap.
        ["'true' == true", false],
        ["'abc' == 0", false],
        ["fromJSON('[]') == fromJSON('[]')", false],
        ["1 < '2'", true],
        ['null < 1', true],
        ["!''", true],
        ["!'0'", false],
        ['!0', true],
      ],
    ],
    [
      'functions',
      [
        ["contains('Hello', 'ELL')", true],
        ["contains('Hello', 'xyz')", false],
        ["contains(fromJSON('[1, 2]'), 2)", true],
        ['contains(fromJSON(\'["a", "B"]\'), \'b\')', true],
        // Array items compare loosely, like ==.
        ["contains(fromJSON('[1, 2]'), '2')", true],
        ["startsWith('refs/heads/main', 'REFS/heads/')", true],
        ["startsWith('refs/tags/v1', 'refs/heads/')", false],
        ["endsWith('app.tar.gz', '.GZ')", true],
        ["format('{0}-{1}', 'a', 1)", 'a-1'],
        ["format('{{0}} is {0}', 'x')", '{0} is x'],
        ["format('{0}{0}', true)", 'truetrue'],
        ["format('{0}', 0.5)", '0.5'],
        ["format('{0}', -2.0)", '-2'],
        ["format('{0}', null)", ''],
        ['join(fromJSON(\'["a","b"]\'), \', \')', 'a, b'],
        ['join(fromJSON(\'["a","b"]\'))', 'a,b'],
        ["join('solo', '-')", 'solo'],
        ['toJSON(matrix.image)', '{\n  "container": "api",\n  "digest": "sha256:abc"\n}'],
        ['toJSON(null)', 'null'],
        ['fromJSON(needs.prepare.outputs.images)[0].container', 'api'],
        ['fromJSON(toJSON(job)).workflow_sha', '0123'],
        ['fromJSON(\'["staging", "production"]\')', ['staging', 'production']],
        ["fromJSON('42')", 42],
        ["fromJSON('false')", false],
        ['!cancelled() && !failure()', true],
        ['success()', true],
        ['always()', true],
      ],
    ],
  ])('%s', (_, table) => {
    test.each(table)('%s', (expression, expected) => {
      expect(evaluate(expression, scope())).toEqual(expected);
    });
  });

  test.each<[string, RegExp]>([
    ["'open", /Unexpected symbol/],
    ['inputs.', /Unexpected symbol: 'EOF'/],
    // hashFiles() needs the runner's workspace; no workflow here uses it, so it is refused like an unknown function.
    ['hashFiles()', /Unrecognized function: 'hashFiles'/],
    ['nosuchcontext.x', /Unrecognized named-value: 'nosuchcontext'/],
    ['a b', /Unrecognized named-value: 'a'/],
    ["format('{0} {1}', 'one')", /references more arguments than were supplied/],
    ["fromJSON('{not json')", /Error parsing JSON/],
    ["startsWith('a')", /Too few parameters/],
    ['success(1)', /Too many parameters/],
  ])('rejects %s', (expression, message) => {
    expect(() => evaluate(expression, scope())).toThrow(message);
  });

  test('a status function needs a status to answer from', () => {
    expect(() => evaluate('success()', { contexts })).toThrow('success() is not available here');
    expect(evaluate('always()', { contexts })).toBe(true);
  });
});

describe('truthy and toText', () => {
  test.each<[unknown, boolean]>([
    [false, false],
    [0, false],
    [-0, false],
    ['', false],
    [null, false],
    [NaN, false],
    [true, true],
    ['false', true],
    ['0', true],
    [[], true],
    [{}, true],
  ])('truthy(%p) is %p', (value, expected) => {
    expect(truthy(value as never)).toBe(expected);
  });

  test.each<[unknown, string]>([
    [null, ''],
    [true, 'true'],
    [1.5, '1.5'],
    ['x', 'x'],
    [['a'], '[\n  "a"\n]'],
  ])('toText(%p) is %p', (value, expected) => {
    expect(toText(value as never)).toBe(expected);
  });
});

describe('interpolate', () => {
  test('keeps the type of a value that is one expression, and builds strings otherwise', () => {
    expect(interpolate('${{ fromJSON(needs.prepare.outputs.images) }}', scope())).toEqual([{ container: 'api' }]);
    expect(interpolate('group-${{ github.repository }}-${{ inputs.environment }}', scope())).toBe(
      'group-acme/app-production',
    );
    expect(interpolate({ with: { dry: '${{ inputs.dry-run }}', n: 3 } }, scope())).toEqual({
      with: { dry: true, n: 3 },
    });
    expect(interpolate(['${{ 1 }}', 'plain', null], scope())).toEqual([1, 'plain', null]);
  });

  test('inside a longer string, values coerce to strings as GitHub does', () => {
    expect(interpolate('x: ${{ inputs.dry-run }}', scope())).toBe('x: true');
    expect(interpolate('[${{ null }}][${{ 1.50 }}][${{ inputs.missing }}]', scope())).toBe('[][1.5][]');
    expect(interpolate('${{ matrix.image }} and ${{ github.event.commits }}', scope())).toBe('Object and Array');
  });
});

describe('evaluateCondition', () => {
  // Columns: condition, then the result after success, after a failure, after a cancellation.
  test.each<[unknown, boolean, boolean, boolean]>([
    [undefined, true, false, false],
    ['', true, false, false],
    [true, true, false, false],
    [false, false, false, false],
    ["needs.prepare.outputs.ecr == 'true'", true, false, false],
    ["${{ needs.prepare.outputs.ecr == 'true' }}", true, false, false],
    ["  ${{ needs.prepare.outputs.staging == 'true' }}  ", false, false, false],
    ['${{ !cancelled() && !failure() }}', true, false, false],
    ['always()', true, true, true],
    ['success()', true, false, false],
    ['failure()', false, true, false],
    ['cancelled()', false, false, true],
    ['!cancelled()', true, true, false],
    ['failure() || cancelled()', false, true, true],
    ['${{ failure() }}', false, true, false],
    ['!(success() || failure())', false, false, true],
    ['always() && !failure()', true, false, true],
    [' Success ( ) ', true, false, false],
    ["always() && inputs.environment == 'production'", true, true, true],
  ])('%p: %p after success, %p after a failure, %p after a cancellation', (condition, ...expected) => {
    const results = [succeeded, failed, cancelled].map((status) => evaluateCondition(condition, scope(status)));
    expect(results).toEqual(expected);
  });

  test('without a status (a workflow-level value), a condition is just its value', () => {
    expect(evaluateCondition("inputs.environment == 'production'", { contexts })).toBe(true);
    expect(evaluateCondition(undefined, { contexts })).toBe(true);
  });
});
