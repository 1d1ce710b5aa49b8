import { evaluatePostIf, type StepConclusion } from '../src/status-condition';

describe('evaluatePostIf', () => {
  // Columns: condition, then the result after main concluded success, failure, cancelled.
  test.each<[string | undefined, boolean, boolean, boolean]>([
    [undefined, true, true, true],
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
  ])('%s', (condition, onSuccess, onFailure, onCancelled) => {
    const results = (['success', 'failure', 'cancelled'] as StepConclusion[]).map((s) => evaluatePostIf(condition, s));
    expect(results).toEqual([onSuccess, onFailure, onCancelled]);
  });

  test.each([
    [
      "github.event_name == 'push'",
      "unsupported post-if 'github.event_name == 'push'': unexpected 'github.event_name == 'push''",
    ],
    ['hashFiles()', "unsupported post-if 'hashFiles()': 'hashFiles()' is not a status function"],
    ['(always()', "unsupported post-if '(always()': missing ')'"],
    ['always() &&', "unsupported post-if 'always() &&': unexpected end"],
    ['always() always()', "unsupported post-if 'always() always()': unexpected 'always()'"],
    ['', "unsupported post-if '': empty condition"],
  ])('%s is rejected', (condition, message) => {
    expect(() => evaluatePostIf(condition, 'success')).toThrow(message);
  });
});
