import type { Container, Task } from '@aws-sdk/client-ecs';
import { describeRunTaskFailures, judgeTask, stopDescription } from '../src/outcome';

function task(containers: Container[], stop: Partial<Task> = {}): Task {
  return { lastStatus: 'STOPPED', containers, ...stop };
}

const exited = { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' } as const;

describe('judgeTask', () => {
  test.each<[string, Task, ReturnType<typeof judgeTask>]>([
    ['exit 0 succeeds', task([{ name: 'migrate', exitCode: 0 }], exited), { status: 'succeeded', exitCode: 0 }],
    [
      'a sidecar exiting non-zero does not matter',
      task(
        [
          { name: 'log-router', exitCode: 1 },
          { name: 'migrate', exitCode: 0 },
        ],
        exited,
      ),
      { status: 'succeeded', exitCode: 0 },
    ],
    [
      'the migration container is found by name, not position',
      task(
        [
          { name: 'migrate', exitCode: 3 },
          { name: 'envoy', exitCode: 0 },
        ],
        exited,
      ),
      {
        status: 'failed',
        exitCode: 3,
        reason: 'container "migrate" exited with code 3 (EssentialContainerExited: Essential container in task exited)',
      },
    ],
    [
      'an OOM kill keeps the container reason',
      task(
        [{ name: 'migrate', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
        exited,
      ),
      {
        status: 'failed',
        exitCode: 137,
        reason:
          'container "migrate" exited with code 137 (OutOfMemoryError: Container killed due to memory usage; ' +
          'EssentialContainerExited: Essential container in task exited)',
      },
    ],
    [
      'an image that cannot be pulled: no exit code',
      task([{ name: 'migrate', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }], {
        stopCode: 'TaskFailedToStart',
        stoppedReason: 'CannotPullContainerError: ref pull has been retried 5 time(s)',
      }),
      {
        status: 'not-run',
        reason:
          'container "migrate" stopped without an exit code: CannotPullContainerError: pull image manifest has been ' +
          'retried 5 time(s); TaskFailedToStart: CannotPullContainerError: ref pull has been retried 5 time(s)',
      },
    ],
    [
      'stopped by someone before it exited',
      task([{ name: 'migrate' }], { stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }),
      {
        status: 'not-run',
        reason: 'container "migrate" stopped without an exit code: UserInitiated: Task stopped by user',
      },
    ],
    [
      'a spot interruption with nothing else known',
      task([{ name: 'migrate' }], { stopCode: 'SpotInterruption' }),
      { status: 'not-run', reason: 'container "migrate" stopped without an exit code: SpotInterruption' },
    ],
    [
      'no reason at all',
      task([{ name: 'migrate' }]),
      { status: 'not-run', reason: 'container "migrate" stopped without an exit code: no reason given' },
    ],
    [
      'the container is missing from the task',
      task([{ name: 'web', exitCode: 0 }], exited),
      {
        status: 'not-run',
        reason:
          'the task has no container "migrate" and stopped without an exit code: ' +
          'EssentialContainerExited: Essential container in task exited',
      },
    ],
  ])('%s', (_name, stopped, expected) => {
    expect(judgeTask(stopped, 'migrate')).toEqual(expected);
  });
});

describe('stopDescription', () => {
  test.each([
    [{}, undefined],
    [{ stopCode: 'TaskFailedToStart' }, 'TaskFailedToStart'],
    [{ stoppedReason: 'Task stopped by user' }, 'Task stopped by user'],
    [exited, 'EssentialContainerExited: Essential container in task exited'],
  ])('%j → %j', (fields, expected) => {
    expect(stopDescription(fields as Task)).toBe(expected);
  });
});

describe('describeRunTaskFailures', () => {
  test.each([
    [[{ reason: 'MISSING', arn: 'arn:aws:ecs:us-east-1:1:cluster/x' }], 'MISSING (arn:aws:ecs:us-east-1:1:cluster/x)'],
    [
      [{ reason: 'RESOURCE:MEMORY' }, { reason: 'AGENT', detail: 'agent disconnected', arn: 'arn:ci' }],
      'RESOURCE:MEMORY; AGENT: agent disconnected (arn:ci)',
    ],
    [[{}], 'unknown reason'],
  ])('%j → %s', (failures, expected) => {
    expect(describeRunTaskFailures(failures)).toBe(expected);
  });
});
