import { join } from 'node:path';
import {
  evaluateDefault,
  inputEnvName,
  inputVariables,
  postIfHolds,
  readActionMetadata,
  type StepConclusion,
} from '../src/action-metadata';

const fixtureDir = join(__dirname, '..', '__fixtures__', 'fixture-action');

describe('inputEnvName', () => {
  test.each([
    ['cluster', 'INPUT_CLUSTER'],
    ['task-definition', 'INPUT_TASK-DEFINITION'],
    ['wait for stability', 'INPUT_WAIT_FOR_STABILITY'],
    ['Mixed_Case', 'INPUT_MIXED_CASE'],
  ])('%s → %s', (name, expected) => {
    expect(inputEnvName(name)).toBe(expected);
  });
});

describe('evaluateDefault', () => {
  const env = { GITHUB_TOKEN: 'ghs_token', GITHUB_REPOSITORY: 'acme/app', RUNNER_TEMP: '/tmp/runner' };
  test.each([
    ['plain', 'plain'],
    ['', ''],
    ['${{ github.token }}', 'ghs_token'],
    ['${{github.repository}}', 'acme/app'],
    ['  ${{ runner.temp }} ', '/tmp/runner'],
    ['${{ github.sha }}', ''],
    ['prefix-${{ github.repository }}', 'prefix-acme/app'],
    ["${{ github.event_name == 'push' }}", 'false'],
    ["${{ format('{0}/cache', runner.temp) }}", '/tmp/runner/cache'],
    ['${{ inputs.other }}', ''],
  ])('%j → %j', (value, expected) => {
    expect(evaluateDefault(value, env)).toBe(expected);
  });
});

describe('postIfHolds', () => {
  const env = { GITHUB_EVENT_NAME: 'push' };
  // Columns: post-if, then whether post runs after main concluded success, failure, cancelled.
  test.each<[string | undefined, boolean, boolean, boolean]>([
    [undefined, true, true, true],
    ['always()', true, true, true],
    ['success()', true, false, false],
    ['failure() || cancelled()', false, true, true],
    ['${{ !cancelled() }}', true, true, false],
    ["github.event_name == 'push'", true, false, false],
    ["always() && github.event_name == 'pull_request'", false, false, false],
  ])('%s', (condition, ...expected) => {
    const conclusions = ['success', 'failure', 'cancelled'] as StepConclusion[];
    expect(conclusions.map((conclusion) => postIfHolds(condition, conclusion, env))).toEqual(expected);
  });
});

describe('readActionMetadata / inputVariables', () => {
  const metadata = readActionMetadata(fixtureDir);

  test('reads entry points, post-if and inputs as strings', () => {
    expect(metadata).toMatchObject({
      name: 'Shipyard testkit fixture',
      main: join(fixtureDir, 'main.js'),
      post: join(fixtureDir, 'post.js'),
      postIf: 'failure() || cancelled()',
    });
    expect(metadata.inputs['who']).toEqual({ description: 'Who to greet.', required: true, default: undefined });
    expect(metadata.inputs['greeting'].default).toBe('Hello');
  });

  test('given inputs win over defaults; inputs without a value stay unset', () => {
    expect(inputVariables(metadata, { greeting: 'Hi' }, { GITHUB_TOKEN: 't' })).toEqual({
      INPUT_GREETING: 'Hi',
      'INPUT_SECRET-TOKEN': '',
      INPUT_MODE: 'succeed',
      INPUT_TOKEN: 't',
    });
  });

  test('an undeclared input is a test bug', () => {
    expect(() => inputVariables(metadata, { who: 'x', colour: 'blue' }, {})).toThrow(
      "Shipyard testkit fixture: unexpected input(s) 'colour'; action.yml declares who, greeting, secret-token, mode, token",
    );
  });
});
