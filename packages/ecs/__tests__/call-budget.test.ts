import fc from 'fast-check';
import { Readable } from 'node:stream';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CallBudget, callBudgetOf, isReadOperation } from '../src/call-budget';
import { fakeClock } from '@shipyard/platform/poll';

const MINUTE = 60_000;

describe('CallBudget', () => {
  test('a burst goes out at once; after it, calls come at the even rate', () => {
    const budget = new CallBudget({ limit: 15, windowMs: MINUTE, burst: 4, sustained: 12, clock: fakeClock() });
    for (let i = 0; i < 4; i++) {
      expect(budget.availableAt(1, 0)).toBe(0);
      budget.record(0);
      budget.pace(0);
    }
    // 12 a minute: the next token comes after 5 s.
    expect(budget.availableAt(1, 0)).toBe(5_000);
  });

  test("a one-off call counts in the window but does not take a look's token", () => {
    const budget = new CallBudget({ limit: 5, windowMs: MINUTE, burst: 2, sustained: 3, clock: fakeClock() });
    for (let i = 0; i < 4; i++) budget.record(0);
    expect(budget.free(0)).toBe(1);
    expect(budget.availableAt(1, 0)).toBe(0);
    expect(budget.availableAt(1, 0, 1)).toBe(MINUTE);
  });

  test('the window keeps room for calls that may follow, and for more urgent looks', () => {
    const budget = new CallBudget({ limit: 3, windowMs: MINUTE, burst: 3, sustained: 3, clock: fakeClock() });
    budget.record(0);
    budget.record(10_000);
    expect(budget.free(10_000)).toBe(1);
    expect(budget.availableAt(1, 10_000)).toBe(10_000);
    // One call and one spare need two free places: the call at 0 must leave the window first.
    expect(budget.availableAt(1, 10_000, 1)).toBe(MINUTE);
    expect(budget.availableAt(1, 10_000, 2)).toBe(MINUTE + 10_000);
  });

  test('whatever the looks ask for, no window ever holds more calls than the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 20_000 }), calls: fc.integer({ min: 1, max: 3 }) }), {
          maxLength: 120,
        }),
        (burst, sustained, looks) => {
          const budget = new CallBudget({ limit: 15, windowMs: MINUTE, burst, sustained });
          const times: number[] = [];
          let now = 0;
          for (const look of looks) {
            now = budget.availableAt(look.calls, now + look.after);
            for (let i = 0; i < look.calls; i++) {
              budget.record(now);
              budget.pace(now);
              times.push(now);
            }
          }
          for (const start of times) {
            expect(times.filter((t) => t >= start && t < start + MINUTE).length).toBeLessThanOrEqual(15);
          }
        },
      ),
    );
  });
});

type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: { commandName?: string },
) => (args: unknown) => Promise<unknown>;

describe('callBudgetOf', () => {
  test('one budget per client, counting every read attempt the client sends once it is watched', async () => {
    const middlewares: Middleware[] = [];
    const client = { middlewareStack: { add: (middleware: Middleware) => middlewares.push(middleware) } };
    const options = { limit: 15, windowMs: MINUTE, burst: 4, sustained: 11, clock: fakeClock() };
    const first = callBudgetOf(client, options);
    expect(callBudgetOf(client, options).budget).toBe(first.budget);
    expect(first.countsSends).toBe(true);
    expect(middlewares).toHaveLength(1);
    const sendAs = (commandName: string) => middlewares[0](async () => 'answer', { commandName })({});
    await sendAs('DescribeServiceDeploymentsCommand');
    await sendAs('ListTasksCommand');
    expect(first.budget.free()).toBe(13);
    // Changes go out when due and draw on ECS's buckets for changes: the waits' reads keep their room.
    await sendAs('UpdateServiceCommand');
    await sendAs('ContinueServiceDeploymentCommand');
    await sendAs('StopServiceDeploymentCommand');
    expect(first.budget.free()).toBe(13);
  });

  test("on the SDK's own client, reads are counted and changes are not", async () => {
    const ecs = new ECSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
      requestHandler: {
        handle: async () => ({
          response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from('{}')]) },
        }),
      },
    });
    const { budget } = callBudgetOf(ecs, { limit: 15, windowMs: MINUTE, burst: 4, sustained: 11 });
    await ecs.send(new DescribeServicesCommand({ services: ['web'] }));
    await ecs.send(new UpdateServiceCommand({ service: 'web' }));
    expect(budget.free()).toBe(14);
  });

  test('whatever a step sends, and in any order, the budget holds exactly its reads', async () => {
    // ECS's operations as the model names them: changes never take a look's room (an eight-service rollback's
    // UpdateService calls once silenced a watch for a minute), every read does.
    const reads = new Set([
      'DescribeServices',
      'DescribeServiceDeployments',
      'ListServiceDeployments',
      'DescribeTasks',
      'ListTasks',
      'DescribeTaskDefinition',
    ]);
    const changes = [
      'UpdateService',
      'StopServiceDeployment',
      'ContinueServiceDeployment',
      'RegisterTaskDefinition',
      'DeregisterTaskDefinition',
      'RunTask',
      'StopTask',
      'TagResource',
    ];
    const operations = [...reads, ...changes];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...operations), { maxLength: 30 }), async (sent) => {
        const middlewares: Middleware[] = [];
        const client = { middlewareStack: { add: (middleware: Middleware) => middlewares.push(middleware) } };
        const { budget } = callBudgetOf(client, {
          limit: 60,
          windowMs: MINUTE,
          burst: 4,
          sustained: 11,
          clock: fakeClock(),
        });
        for (const name of sent) await middlewares[0](async () => 'answer', { commandName: `${name}Command` })({});
        expect(budget.free()).toBe(60 - sent.filter((name) => reads.has(name)).length);
      }),
    );
  });

  test('a client without a middleware stack is counted by its callers', () => {
    const { countsSends } = callBudgetOf({}, { limit: 15, windowMs: MINUTE, burst: 4, sustained: 11 });
    expect(countsSends).toBe(false);
  });
});

describe('isReadOperation', () => {
  test.each([
    ['DescribeServicesCommand', true],
    ['DescribeServiceDeployments', true],
    ['ListServiceDeploymentsCommand', true],
    ['GetLogEventsCommand', true],
    ['UpdateServiceCommand', false],
    ['ContinueServiceDeploymentCommand', false],
    ['StopServiceDeploymentCommand', false],
    ['RegisterTaskDefinitionCommand', false],
    ['Listen', false],
    [undefined, false],
  ])('%s → %s', (name, read) => {
    expect(isReadOperation(name)).toBe(read);
  });
});
