import { join } from 'node:path';
import { evaluateDefault, inputEnvName, inputVariables, readActionMetadata } from '../src/action-metadata';

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
  ])('%j → %j', (value, expected) => {
    expect(evaluateDefault(value, env)).toBe(expected);
  });

  test.each([["${{ github.event_name == 'push' }}"], ['prefix-${{ github.sha }}'], ['${{ inputs.other }}']])(
    '%s is not evaluated',
    (value) => {
      expect(() => evaluateDefault(value, env)).toThrow(
        `default '${value}' is an expression the harness does not evaluate: pass the input explicitly`,
      );
    },
  );
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
