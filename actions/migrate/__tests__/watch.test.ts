import { DescribeTasksCommand, ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { DeploymentFailure } from '@shipyard/platform/errors';
import { PollCancelledError, PollTimeoutError, fakeClock } from '@shipyard/platform/poll';
import { guardConcurrency } from '../src/guard';
import type { EcsInputs } from '../src/inputs';
import { LastLines } from '../src/output';
import { waitForStop, type LineSource } from '../src/watch';

const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/prod/abc123';

let printed: string[];
beforeEach(() => {
  printed = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
    printed.push(...String(text).split('\n').filter(Boolean));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

/**
 * An ECS client answering each DescribeTasks / ListTasks with the next canned answer (the last one repeats); a
 * `'MISSING'` answer is DescribeTasks' MISSING failure.
 */
function fakeEcs(answers: { describe?: (Task | 'MISSING')[]; list?: string[][] }) {
  const calls: string[] = [];
  let describeIndex = 0;
  let listIndex = 0;
  const send = async (command: unknown) => {
    if (command instanceof DescribeTasksCommand) {
      calls.push('DescribeTasks');
      const describe = answers.describe ?? [];
      const task = describe[Math.min(describeIndex++, describe.length - 1)];
      if (task === 'MISSING') return { tasks: [], failures: [{ arn: TASK, reason: 'MISSING' }] };
      return { tasks: [task], failures: [] };
    }
    if (command instanceof ListTasksCommand) {
      calls.push(`ListTasks ${JSON.stringify(command.input)}`);
      const list = answers.list ?? [];
      return { taskArns: list[Math.min(listIndex++, list.length - 1)] };
    }
    throw new Error(`unexpected command ${String(command)}`);
  };
  return { client: { send } as unknown as ECSClient, calls };
}

function lines(batches: string[][]): LineSource & { reads: number } {
  const source = {
    reads: 0,
    next: async () => batches[source.reads++] ?? [],
  };
  return source;
}

describe('waitForStop', () => {
  test('a task that goes from PENDING straight to STOPPED is not waited on for RUNNING', async () => {
    const { client, calls } = fakeEcs({
      describe: [{ lastStatus: 'PENDING' }, { lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' }],
    });
    const clock = fakeClock();
    const task = await waitForStop(client, {
      cluster: 'prod',
      taskArn: TASK,
      timeoutMs: 60_000,
      lastLines: new LastLines(5),
      clock,
    });
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(calls).toEqual(['DescribeTasks', 'DescribeTasks']);
    expect(printed).toEqual(['Task abc123 is PENDING.', 'Task abc123 is STOPPED.']);
  });

  test('prints new log lines on every check, drains the log once more after STOPPED, keeps the last ones', async () => {
    const { client } = fakeEcs({
      describe: [
        { lastStatus: 'PENDING' },
        { lastStatus: 'RUNNING' },
        { lastStatus: 'RUNNING' },
        { lastStatus: 'STOPPED' },
      ],
    });
    const source = lines([[], ['one', 'two'], ['three'], [], ['late']]);
    const lastLines = new LastLines(3);
    const clock = fakeClock();
    await waitForStop(client, { cluster: 'prod', taskArn: TASK, timeoutMs: 60_000, lines: source, lastLines, clock });
    const shown = printed.filter((line) => !line.startsWith('::'));
    expect(shown).toEqual([
      'Task abc123 is PENDING.',
      'Task abc123 is RUNNING.',
      'one',
      'two',
      'three',
      'Task abc123 is STOPPED.',
      'late',
    ]);
    expect(lastLines.lines).toEqual(['two', 'three', 'late']);
    // New lines bring the next check back to the fastest interval.
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
  });

  test('gives up at the timeout with the last state', async () => {
    const { client } = fakeEcs({ describe: [{ lastStatus: 'RUNNING' }] });
    const clock = fakeClock();
    const waiting = waitForStop(client, {
      cluster: 'prod',
      taskArn: TASK,
      timeoutMs: 30_000,
      lastLines: new LastLines(5),
      clock,
    });
    await expect(waiting).rejects.toBeInstanceOf(PollTimeoutError);
    await expect(waiting).rejects.toMatchObject({ lastState: { task: { lastStatus: 'RUNNING' } } });
    expect(clock.now()).toBe(30_000);
  });

  test('cancellation ends the wait at once', async () => {
    const { client } = fakeEcs({ describe: [{ lastStatus: 'RUNNING' }] });
    const controller = new AbortController();
    const clock = fakeClock({ autoAdvance: false });
    const waiting = waitForStop(client, {
      cluster: 'prod',
      taskArn: TASK,
      timeoutMs: 60_000,
      lastLines: new LastLines(5),
      clock,
      signal: controller.signal,
    });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('received SIGINT'));
    await expect(waiting).rejects.toBeInstanceOf(PollCancelledError);
  });

  test('a task just started and not described yet (MISSING: eventually consistent) is looked for again', async () => {
    const { client, calls } = fakeEcs({ describe: ['MISSING', 'MISSING', { lastStatus: 'STOPPED' }] });
    const task = await waitForStop(client, {
      cluster: 'prod',
      taskArn: TASK,
      timeoutMs: 60_000,
      lastLines: new LastLines(5),
      clock: fakeClock(),
    });
    expect(task.lastStatus).toBe('STOPPED');
    expect(calls).toHaveLength(3);
    expect(printed[0]).toBe(`Task abc123 is not described yet (MISSING (${TASK})); looking again.`);
  });

  test.each([
    [
      'never described within the patience for a new task',
      ['MISSING' as const],
      `ECS still did not describe task ${TASK} 26s250ms after starting it: MISSING (${TASK})`,
    ],
    [
      'MISSING after it was seen: gone',
      [{ lastStatus: 'RUNNING' }, 'MISSING' as const],
      `task ${TASK} can no longer be described: MISSING (${TASK})`,
    ],
  ])('a MISSING task fails the wait when %s', async (_name, describe, message) => {
    const { client } = fakeEcs({ describe });
    const waiting = waitForStop(client, {
      cluster: 'prod',
      taskArn: TASK,
      timeoutMs: 600_000,
      lastLines: new LastLines(5),
      clock: fakeClock(),
    });
    await expect(waiting).rejects.toThrow(new DeploymentFailure(message));
  });

  test('a log that cannot be read is a warning; the wait goes on and the exit code still decides', async () => {
    const { client } = fakeEcs({ describe: [{ lastStatus: 'RUNNING' }, { lastStatus: 'STOPPED' }] });
    const failing = { next: jest.fn(async () => Promise.reject(new Error('AccessDeniedException: not authorized'))) };
    const task = await waitForStop(client, {
      cluster: 'prod',
      taskArn: TASK,
      timeoutMs: 60_000,
      lines: failing,
      lastLines: new LastLines(5),
      clock: fakeClock(),
    });
    expect(task.lastStatus).toBe('STOPPED');
    expect(failing.next).toHaveBeenCalledTimes(1);
    expect(printed).toContain(
      "::warning::Stopped streaming the container's log: AccessDeniedException: not authorized. The exit code still decides.",
    );
  });
});

describe('guardConcurrency', () => {
  const inputs = {
    cluster: 'prod',
    startedBy: 'migrate-web',
    concurrencyPolicy: 'refuse',
    timeoutMs: 600_000,
  } as EcsInputs;

  test('no other task: goes ahead, asking ListTasks with startedBy as its only filter', async () => {
    const { client, calls } = fakeEcs({ list: [[]] });
    await guardConcurrency(client, inputs, { clock: fakeClock() });
    expect(calls).toEqual(['ListTasks {"cluster":"prod","startedBy":"migrate-web"}']);
  });

  test('refuse: fails at once, naming the running task', async () => {
    const { client, calls } = fakeEcs({ list: [[TASK]] });
    await expect(guardConcurrency(client, inputs, { clock: fakeClock() })).rejects.toThrow(
      new DeploymentFailure(`another migration started by "migrate-web" is still running in cluster prod: ${TASK}`),
    );
    expect(calls).toHaveLength(1);
  });

  test('wait: polls until the other task is gone', async () => {
    const { client, calls } = fakeEcs({ list: [[TASK], [TASK], [TASK], []] });
    const clock = fakeClock();
    await guardConcurrency(client, { ...inputs, concurrencyPolicy: 'wait' }, { clock });
    expect(calls).toHaveLength(4);
    expect(clock.sleeps).toEqual([5000, 7500]);
  });

  test('wait: bounded by the timeout', async () => {
    const { client } = fakeEcs({ list: [[TASK]] });
    const clock = fakeClock();
    await expect(
      guardConcurrency(client, { ...inputs, concurrencyPolicy: 'wait', timeoutMs: 60_000 }, { clock }),
    ).rejects.toBeInstanceOf(PollTimeoutError);
    expect(clock.now()).toBe(60_000);
  });
});
