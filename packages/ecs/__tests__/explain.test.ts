import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient, TaskDefinition } from '@aws-sdk/client-ecs';
import {
  failedContainers,
  formatExplanation,
  gatherFailureFacts,
  STOPPED_TASKS_READ,
  type FailureFacts,
} from '../src/explain';
import { awsError, fakeClient } from '@shipyard/testkit/fake-client';

const TD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7';
const taskDefinition: TaskDefinition = {
  taskDefinitionArn: TD,
  containerDefinitions: [
    {
      name: 'web',
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' },
      },
    },
    { name: 'envoy' },
  ],
};
const since = new Date('2025-01-01T10:00:00Z');
const at = (seconds: number) => new Date(since.getTime() + seconds * 1000);

function ecsWithTasks() {
  return fakeClient({
    ListTasksCommand: () => ({ taskArns: ['task/prod/aaa', 'task/prod/bbb', 'task/prod/old', 'task/prod/other'] }),
    DescribeTasksCommand: () => ({
      tasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/aaa',
          taskDefinitionArn: TD,
          stoppedAt: at(30),
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [
            { name: 'web', exitCode: 1 },
            { name: 'envoy', exitCode: 0 },
          ],
        },
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/bbb',
          taskDefinitionArn: TD,
          stoppedAt: at(60),
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [
            { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
          ],
        },
        { taskArn: 'task/prod/old', taskDefinitionArn: TD, stoppedAt: at(-60), containers: [] },
        { taskArn: 'task/prod/other', taskDefinitionArn: 'td/web:6', stoppedAt: at(10), containers: [] },
      ],
    }),
  });
}

describe('gatherFailureFacts', () => {
  test('stopped tasks of the failed revision since the deploy, newest first; logs of the newest failure', async () => {
    const ecs = ecsWithTasks();
    const logs = fakeClient({
      GetLogEventsCommand: () => ({ events: [{ message: 'listening on 8080' }, { message: 'FATAL: out of memory' }] }),
    });
    const facts = await gatherFailureFacts({
      ecs: ecs as unknown as ECSClient,
      logs: logs as unknown as CloudWatchLogsClient,
      cluster: 'prod',
      service: 'web',
      reason: 'rollout FAILED',
      taskDefinition,
      since,
      events: [
        { id: '3', createdAt: at(61), message: '(service web) has stopped 1 running tasks.' },
        { id: '2', createdAt: at(5), message: '(service web) has started 2 tasks.' },
        { id: '1', createdAt: at(-100), message: '(service web) has reached a steady state.' },
      ],
    });
    expect(ecs.calls('ListTasksCommand')[0].input).toEqual({
      cluster: 'prod',
      serviceName: 'web',
      desiredStatus: 'STOPPED',
    });
    expect(facts.stoppedTasks.map((t) => t.taskArn.split('/').pop())).toEqual(['bbb', 'aaa']);
    expect(facts.events.map((e) => e.message)).toEqual([
      '(service web) has started 2 tasks.',
      '(service web) has stopped 1 running tasks.',
    ]);
    expect(facts.logs).toEqual([
      {
        container: 'web',
        taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/bbb',
        location: { group: '/ecs/web', stream: 'ecs/web/bbb', region: undefined },
        lines: ['listening on 8080', 'FATAL: out of memory'],
      },
    ]);
    expect(logs.calls()[0].input).toMatchObject({ logStreamName: 'ecs/web/bbb', limit: 30 });
    expect(facts.gaps).toEqual([]);
  });

  /** ListTasks answering pages of 100 (`pages` of them, or without end), and DescribeTasks for any of them. */
  function ecsWithPages(pages: number, failed: string) {
    return fakeClient({
      ListTasksCommand: (input: { nextToken?: string }) => {
        const page = Number(input.nextToken ?? 0);
        const arns = Array.from({ length: 100 }, (_, i) => `task/prod/t${page * 100 + i}`);
        return { taskArns: arns, nextToken: page + 1 < pages ? String(page + 1) : undefined };
      },
      DescribeTasksCommand: (input: { tasks: string[] }) => ({
        tasks: input.tasks.map((arn) =>
          arn === failed
            ? { taskArn: arn, taskDefinitionArn: TD, stoppedAt: at(30), containers: [{ name: 'web', exitCode: 1 }] }
            : { taskArn: arn, taskDefinitionArn: 'td/web:6', stoppedAt: at(20), containers: [] },
        ),
      }),
    });
  }

  async function gather(ecs: ReturnType<typeof fakeClient>) {
    return gatherFailureFacts({
      ecs: ecs as unknown as ECSClient,
      cluster: 'prod',
      service: 'web',
      reason: 'rollout FAILED',
      since,
    });
  }

  const described = (ecs: ReturnType<typeof fakeClient>) =>
    ecs.calls('DescribeTasksCommand').map((call) => (call.input as { tasks: string[] }).tasks);

  test("every page of stopped tasks is read: the failed revision's task can be on the last of them", async () => {
    const ecs = ecsWithPages(3, 'task/prod/t250');
    const facts = await gather(ecs);
    expect(facts.stoppedTasks.map((t) => t.taskArn)[0]).toBe('task/prod/t250');
    expect(ecs.calls('ListTasksCommand').map((call) => (call.input as { nextToken?: string }).nextToken)).toEqual([
      undefined,
      '1',
      '2',
    ]);
    expect(described(ecs).map((tasks) => tasks.length)).toEqual([100, 100, 100]);
    expect(new Set(described(ecs).flat()).size).toBe(300);
    expect(facts.gaps).toEqual([]);
  });

  test(`at most ${STOPPED_TASKS_READ} stopped tasks are read, and the explanation says so`, async () => {
    const ecs = ecsWithPages(Infinity, 'task/prod/t1');
    const facts = await gather(ecs);
    expect(ecs.calls('ListTasksCommand')).toHaveLength(STOPPED_TASKS_READ / 100);
    expect(described(ecs).flat()).toHaveLength(STOPPED_TASKS_READ);
    expect(facts.stoppedTasks.map((t) => t.taskArn)[0]).toBe('task/prod/t1');
    expect(facts.gaps).toEqual([
      `more than ${STOPPED_TASKS_READ} stopped tasks: only the first ${STOPPED_TASKS_READ} listed were read`,
    ]);
  });

  test('AWS problems become gaps, not errors', async () => {
    const ecs = fakeClient({
      ListTasksCommand: () => Promise.reject(awsError('AccessDeniedException', 'not allowed')),
    });
    const facts = await gatherFailureFacts({
      ecs: ecs as unknown as ECSClient,
      cluster: 'prod',
      service: 'web',
      reason: 'timed out',
      taskDefinition,
    });
    expect(facts.gaps).toEqual([
      'stopped tasks could not be read: AWS request failed: AccessDeniedException: not allowed',
    ]);
    expect(facts.stoppedTasks).toEqual([]);
  });
});

describe('failedContainers', () => {
  test.each([
    [{ name: 'web', exitCode: 1 }, true],
    [{ name: 'web', exitCode: 0 }, false],
    [{ name: 'web', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }, true],
    [{ name: 'web' }, false],
  ])('%j → %s', (container, failed) => {
    expect(failedContainers({ taskArn: 't', containers: [container] })).toHaveLength(failed ? 1 : 0);
  });
});

describe('formatExplanation', () => {
  test('one screen: reason, tasks with exit codes, events, log lines', () => {
    const facts: FailureFacts = {
      service: 'web',
      reason: 'service deployment ROLLBACK_SUCCESSFUL: circuit breaker tripped',
      taskDefinitionArn: TD,
      stoppedTasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/bbb',
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'web', exitCode: 3 }, { name: 'envoy' }],
        },
      ],
      events: [{ createdAt: new Date('2025-01-01T10:00:05Z'), message: '(service web) has started 1 tasks.' }],
      logs: [
        {
          container: 'web',
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/bbb',
          location: { group: '/ecs/web', stream: 'ecs/web/bbb' },
          lines: ['boom'],
        },
        {
          container: 'envoy',
          taskArn: 'task/prod/bbb',
          lines: [],
          unavailable: 'the container does not log with awslogs and a stream prefix',
        },
      ],
      gaps: ['service events could not be read'],
    };
    expect(formatExplanation(facts)).toEqual([
      'Why "web" failed: service deployment ROLLBACK_SUCCESSFUL: circuit breaker tripped',
      `  Revision: ${TD}`,
      '  Stopped tasks of this revision (newest first):',
      '    task bbb — EssentialContainerExited: Essential container in task exited',
      '      container "web": exit code 3',
      '      container "envoy": no exit code',
      '  Last service events (oldest first):',
      '    10:00:05 (service web) has started 1 tasks.',
      '  Last 30 log lines of container "web" (task bbb, /ecs/web › ecs/web/bbb):',
      '    boom',
      '  No log lines for container "envoy": the container does not log with awslogs and a stream prefix.',
      '  (service events could not be read)',
    ]);
  });

  test('says so when there are no stopped tasks', () => {
    const lines = formatExplanation({
      service: 'web',
      reason: 'timed out',
      stoppedTasks: [],
      events: [],
      logs: [],
      gaps: [],
    });
    expect(lines).toEqual(['Why "web" failed: timed out', '  No stopped tasks of this revision.']);
  });
});
