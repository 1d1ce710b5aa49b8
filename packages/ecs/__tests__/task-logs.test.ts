import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awslogsLocation, LogFollower, tailLogLines } from '../src/task-logs';
import { awsError, fakeClient } from '@shipyard/testkit/fake-client';

const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/prod/0f3b2c1d';
const awslogs = (options: Record<string, string>) => ({
  containerDefinitions: [{ name: 'web', logConfiguration: { logDriver: 'awslogs' as const, options } }],
});

describe('awslogsLocation', () => {
  test.each([
    [
      'prefix/container/task id in the group',
      awslogs({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs', 'awslogs-region': 'eu-west-1' }),
      'web',
      { group: '/ecs/web', stream: 'ecs/web/0f3b2c1d', region: 'eu-west-1' },
    ],
    ['no stream prefix', awslogs({ 'awslogs-group': '/ecs/web' }), 'web', undefined],
    [
      'another container',
      awslogs({ 'awslogs-group': '/ecs/web', 'awslogs-stream-prefix': 'ecs' }),
      'worker',
      undefined,
    ],
    [
      'another log driver',
      { containerDefinitions: [{ name: 'web', logConfiguration: { logDriver: 'json-file' as const } }] },
      'web',
      undefined,
    ],
  ])('%s', (_name, taskDefinition, container, expected) => {
    expect(awslogsLocation(taskDefinition, container, TASK)).toEqual(expected);
  });
});

const location = { group: '/ecs/web', stream: 'ecs/web/0f3b2c1d' };

describe('tailLogLines', () => {
  test('reads the end of the stream, oldest first, without trailing newlines', async () => {
    const client = fakeClient({
      GetLogEventsCommand: () => ({ events: [{ message: 'one\n' }, { message: 'two' }, { message: 'three' }] }),
    });
    expect(await tailLogLines(client as unknown as CloudWatchLogsClient, location, 2)).toEqual(['two', 'three']);
    expect(client.calls()[0].input).toEqual({
      logGroupName: '/ecs/web',
      logStreamName: 'ecs/web/0f3b2c1d',
      limit: 2,
      startFromHead: false,
    });
  });

  test('a missing stream has no lines; other errors are thrown', async () => {
    const missing = fakeClient({ GetLogEventsCommand: () => Promise.reject(awsError('ResourceNotFoundException')) });
    expect(await tailLogLines(missing as unknown as CloudWatchLogsClient, location, 30)).toEqual([]);
    const denied = fakeClient({ GetLogEventsCommand: () => Promise.reject(awsError('AccessDeniedException')) });
    await expect(tailLogLines(denied as unknown as CloudWatchLogsClient, location, 30)).rejects.toThrow(
      'AccessDeniedException',
    );
  });
});

describe('LogFollower', () => {
  test('returns each line once, following forward tokens across pages', async () => {
    const pages: Record<string, { events: { message: string }[]; nextForwardToken: string }> = {
      start: { events: [{ message: 'a' }, { message: 'b' }], nextForwardToken: 'f/1' },
      'f/1': { events: [{ message: 'c' }], nextForwardToken: 'f/2' },
      'f/2': { events: [], nextForwardToken: 'f/2' },
    };
    let appended = false;
    const client = fakeClient({
      GetLogEventsCommand: (input: { nextToken?: string }) => {
        if (input.nextToken === 'f/2' && appended) return { events: [{ message: 'd' }], nextForwardToken: 'f/3' };
        if (input.nextToken === 'f/3') return { events: [], nextForwardToken: 'f/3' };
        return pages[input.nextToken ?? 'start'];
      },
    });
    const follower = new LogFollower(client as unknown as CloudWatchLogsClient, location);
    expect(await follower.next()).toEqual(['a', 'b', 'c']);
    expect(await follower.next()).toEqual([]);
    appended = true;
    expect(await follower.next()).toEqual(['d']);
    expect(client.calls().map((c) => (c.input as { startFromHead: boolean }).startFromHead)).toEqual(
      client.calls().map(() => true),
    );
  });

  test('a stream not created yet yields nothing', async () => {
    const client = fakeClient({ GetLogEventsCommand: () => Promise.reject(awsError('ResourceNotFoundException')) });
    expect(await new LogFollower(client as unknown as CloudWatchLogsClient, location).next()).toEqual([]);
  });
});
