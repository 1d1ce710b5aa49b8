import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { matchesFilterPattern } from '../src/services/logs';
import { startWithClients, type SimClients } from './ecs-helpers';

let clients: SimClients;
let now: number;

beforeEach(async () => {
  clients = await startWithClients({ manual: true, seed: { logs: { logGroups: ['/ecs/web'] } } });
  now = clients.clock!.now();
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/web', logStreamName: 'web/app/1' }));
});
afterEach(() => clients.close());

const put = (messages: string[], stream = 'web/app/1', start = now - 60_000) =>
  clients.logs.send(
    new PutLogEventsCommand({
      logGroupName: '/ecs/web',
      logStreamName: stream,
      logEvents: messages.map((message, i) => ({ timestamp: start + i * 1000, message })),
    }),
  );

describe('log groups and streams', () => {
  it('creates, describes and refuses duplicates with modeled exceptions', async () => {
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/api' }));
    await expect(clients.logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/api' }))).rejects.toBeInstanceOf(
      ResourceAlreadyExistsException,
    );
    await expect(
      clients.logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/web', logStreamName: 'web/app/1' })),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(
      clients.logs.send(new CreateLogStreamCommand({ logGroupName: '/nope', logStreamName: 's' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(clients.logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    const groups = await clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/ecs/' }));
    expect(groups.logGroups!.map((g) => g.logGroupName)).toEqual(['/ecs/api', '/ecs/web']);
    expect(groups.logGroups![1].arn).toBe('arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*');
  });

  it('orders streams by name or last event time', async () => {
    await clients.logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/web', logStreamName: 'web/app/0' }));
    await put(['late'], 'web/app/0', now - 1000);
    await put(['early'], 'web/app/1', now - 5000);
    const byName = await clients.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/ecs/web' }));
    expect(byName.logStreams!.map((s) => s.logStreamName)).toEqual(['web/app/0', 'web/app/1']);
    const byTime = await clients.logs.send(
      new DescribeLogStreamsCommand({ logGroupName: '/ecs/web', orderBy: 'LastEventTime', descending: true }),
    );
    expect(byTime.logStreams!.map((s) => [s.logStreamName, s.lastEventTimestamp])).toEqual([
      ['web/app/0', now - 1000],
      ['web/app/1', now - 5000],
    ]);
  });
});

describe('PutLogEvents', () => {
  it('requires chronological order within a batch', async () => {
    const error = await clients.logs
      .send(
        new PutLogEventsCommand({
          logGroupName: '/ecs/web',
          logStreamName: 'web/app/1',
          logEvents: [
            { timestamp: now, message: 'b' },
            { timestamp: now - 1, message: 'a' },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
  });

  it('rejects events older than 14 days and reports them', async () => {
    const old = now - 15 * 86_400_000;
    const result = await clients.logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 'web/app/1',
        logEvents: [
          { timestamp: old, message: 'too old' },
          { timestamp: old + 1, message: 'still too old' },
        ],
      }),
    );
    expect(result.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    const events = await clients.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'web/app/1' }),
    );
    expect(events.events).toEqual([]);
  });
});

describe('GetLogEvents', () => {
  beforeEach(() => put(['l0', 'l1', 'l2', 'l3', 'l4']));

  it('reads forward from the head in pages until the forward token repeats', async () => {
    const pages: string[][] = [];
    let token: string | undefined;
    for (;;) {
      const page = await clients.logs.send(
        new GetLogEventsCommand({
          logGroupName: '/ecs/web',
          logStreamName: 'web/app/1',
          startFromHead: true,
          limit: 2,
          nextToken: token,
        }),
      );
      if (page.nextForwardToken === token) break;
      pages.push(page.events!.map((e) => e.message!));
      token = page.nextForwardToken;
    }
    expect(pages).toEqual([['l0', 'l1'], ['l2', 'l3'], ['l4']]);

    await put(['l5'], 'web/app/1', now);
    const next = await clients.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'web/app/1', nextToken: token }),
    );
    expect(next.events!.map((e) => e.message)).toEqual(['l5']);
  });

  it('returns the newest events without a token and pages backward', async () => {
    const tail = await clients.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'web/app/1', limit: 2 }),
    );
    expect(tail.events!.map((e) => e.message)).toEqual(['l3', 'l4']);
    const before = await clients.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 'web/app/1',
        limit: 2,
        nextToken: tail.nextBackwardToken,
      }),
    );
    expect(before.events!.map((e) => e.message)).toEqual(['l1', 'l2']);
  });

  it('filters by time and answers ResourceNotFoundException for an unknown stream', async () => {
    const window = await clients.logs.send(
      new GetLogEventsCommand({
        logGroupName: '/ecs/web',
        logStreamName: 'web/app/1',
        startTime: now - 59_000,
        endTime: now - 57_000,
      }),
    );
    expect(window.events!.map((e) => e.message)).toEqual(['l1', 'l2']);
    await expect(
      clients.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/web', logStreamName: 'nope' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('FilterLogEvents', () => {
  it('matches a filter pattern across streams in time order, with the stream name', async () => {
    await clients.logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/web', logStreamName: 'web/app/2' }));
    await put(['INFO started', 'ERROR db down', 'INFO ok'], 'web/app/1', now - 10_000);
    await put(['ERROR disk full'], 'web/app/2', now - 8_500);
    const result = await clients.logs.send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/web', filterPattern: 'ERROR' }),
    );
    expect(result.events!.map((e) => [e.logStreamName, e.message])).toEqual([
      ['web/app/1', 'ERROR db down'],
      ['web/app/2', 'ERROR disk full'],
    ]);
    const one = await clients.logs.send(
      new FilterLogEventsCommand({ logGroupName: '/ecs/web', logStreamNames: ['web/app/2'], filterPattern: '' }),
    );
    expect(one.events!.map((e) => e.message)).toEqual(['ERROR disk full']);
  });

  test.each([
    ['', 'anything', true],
    ['ERROR', 'ERROR db down', true],
    ['error', 'ERROR db down', false],
    ['ERROR db', 'db ERROR', true],
    ['"db down"', 'ERROR db down', true],
    ['"db down"', 'down db', false],
    ['?ERROR ?WARN', 'WARN slow', true],
    ['?ERROR ?WARN', 'INFO ok', false],
    ['ERROR -timeout', 'ERROR timeout', false],
    ['ERROR -timeout', 'ERROR refused', true],
  ])('pattern %j on %j → %s', (pattern, message, expected) => {
    expect(matchesFilterPattern(pattern, message)).toBe(expected);
  });
});
