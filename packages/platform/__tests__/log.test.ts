import * as core from '../src/core';
import { AccessDeniedException } from '@aws-sdk/client-ecs';
import { rememberAwsOperation } from '../src/errors';
import { annotateError, group } from '../src/log';

jest.mock('../src/core');
const mockedCore = jest.mocked(core);

beforeEach(() => jest.resetAllMocks());

/** The @actions/core calls made, in order, as "name(args)". */
function calls(): string[] {
  const named = (['startGroup', 'endGroup', 'info'] as const).flatMap((name) =>
    mockedCore[name].mock.calls.map((args, i) => ({
      order: mockedCore[name].mock.invocationCallOrder[i],
      text: `${name}(${args.join(', ')})`,
    })),
  );
  return named.sort((a, b) => a.order - b.order).map((c) => c.text);
}

describe('group', () => {
  test('opens a group, returns the result and closes it', async () => {
    const result = await group('Render task definition', async () => {
      core.info('inside');
      return 42;
    });
    expect(result).toBe(42);
    expect(calls()).toEqual(['startGroup(Render task definition)', 'info(inside)', 'endGroup()']);
  });

  test('closes the group when the phase throws, and rethrows', async () => {
    const failure = new Error('boom');
    await expect(
      group('Deploy', async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(calls()).toEqual(['startGroup(Deploy)', 'endGroup()']);
  });

  test('a group inside a group becomes a heading line, since GitHub cannot nest them', async () => {
    await group('Deploy', async () => {
      await group('Wait for stability', async () => core.info('polling'));
    });
    expect(calls()).toEqual(['startGroup(Deploy)', 'info(▸ Wait for stability)', 'info(polling)', 'endGroup()']);
  });

  test('after a failed group the next one opens normally', async () => {
    await group('First', async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await group('Second', async () => undefined);
    expect(calls()).toEqual(['startGroup(First)', 'endGroup()', 'startGroup(Second)', 'endGroup()']);
  });
});

describe('annotateError', () => {
  test('passes a message and its properties to core.error', () => {
    annotateError('Task definition has no container "app"', { file: 'deploy/td.json', startLine: 3 });
    expect(mockedCore.error).toHaveBeenCalledWith('Task definition has no container "app"', {
      file: 'deploy/td.json',
      startLine: 3,
    });
  });

  test('describes an AWS error in one line', () => {
    const error = new AccessDeniedException({ message: 'no', $metadata: {} });
    rememberAwsOperation(error, 'ecs:RunTask');
    annotateError(error);
    expect(mockedCore.error).toHaveBeenCalledWith('ecs:RunTask failed: AccessDeniedException: no', undefined);
  });
});
