import { evaluate, evaluateCondition, interpolate, type ExpressionScope } from '../src/expressions';

const contexts = {
  inputs: { 'aws-region': 'eu-north-1', 'dry-run': true, 'create-repository': false, environment: 'production' },
  needs: {
    prepare: { outputs: { ecr: 'true', images: '[{"container":"api"}]', staging: 'false' }, result: 'success' },
  },
  github: { ref_name: 'main', repository: 'acme/app' },
  matrix: { image: { container: 'api', digest: 'sha256:abc' } },
  job: { workflow_sha: '0123' },
};
const scope = (status = { success: () => true, failure: () => false, cancelled: () => false }): ExpressionScope => ({
  contexts,
  status,
});

describe('evaluate', () => {
  test.each<[string, unknown]>([
    ['inputs.aws-region', 'eu-north-1'],
    ["inputs['aws-region']", 'eu-north-1'],
    ['INPUTS.AWS-REGION', 'eu-north-1'],
    ['inputs.missing', null],
    ['inputs.missing.deeper', null],
    ["needs.prepare.outputs.ecr == 'true' && inputs.aws-region || ''", 'eu-north-1'],
    ["needs.prepare.outputs.staging == 'true' && 'staging' || ''", ''],
    ["inputs.create-repository && 'true' || ''", ''],
    ["inputs.dry-run && ' (dry run)' || ''", ' (dry run)'],
    ["inputs.environment == 'PRODUCTION'", true],
    ["inputs.environment != 'production'", false],
    ["github.ref_name == 'main' && 'staging, production' || 'staging'", 'staging, production'],
    ['fromJSON(needs.prepare.outputs.images)[0].container', 'api'],
    ['fromJSON(toJSON(job)).workflow_sha', '0123'],
    ['fromJSON(\'["staging", "production"]\')', ['staging', 'production']],
    ["contains('Hello', 'ELL')", true],
    ["contains(fromJSON('[1, 2]'), 2)", true],
    ["startsWith('refs/heads/main', 'refs/heads/')", true],
    ["format('{0}-{1}', 'a', 1)", 'a-1'],
    ['join(fromJSON(\'["a","b"]\'), \', \')', 'a, b'],
    ['1 == true', true],
    ["'' == 0", true],
    ["'it''s'", "it's"],
    ['!inputs.dry-run', false],
    ['(1 < 2) && (2 >= 2)', true],
    ['!cancelled() && !failure()', true],
  ])('%s', (expression, expected) => {
    expect(evaluate(expression, scope())).toEqual(expected);
  });

  test.each([
    ["'open", /unterminated string/],
    ['inputs.', /expected a property name/],
    ['hashFiles()', /hashfiles\(\) is not supported/],
    ['a b', /unexpected trailing input/],
  ])('rejects %s', (expression, message) => {
    expect(() => evaluate(expression, scope())).toThrow(message);
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
    expect(interpolate('x: ${{ inputs.dry-run }}', scope())).toBe('x: true');
  });
});

describe('evaluateCondition', () => {
  const failed = { success: () => false, failure: () => true, cancelled: () => false };
  test.each<[unknown, boolean, boolean]>([
    [undefined, true, false],
    ["needs.prepare.outputs.ecr == 'true'", true, false],
    ["${{ needs.prepare.outputs.ecr == 'true' }}", true, false],
    ['${{ !cancelled() && !failure() }}', true, false],
    ['always()', true, true],
    ['failure()', false, true],
  ])('%s: %s after success, %s after a failure', (condition, afterSuccess, afterFailure) => {
    expect(evaluateCondition(condition, scope())).toBe(afterSuccess);
    expect(evaluateCondition(condition, scope(failed))).toBe(afterFailure);
  });
});
