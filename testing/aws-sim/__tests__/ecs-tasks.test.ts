import { CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ClientException,
  CreateClusterCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksStopped,
  type ContainerDefinition,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { fargateTaskDefinition, NETWORK, startWithClients, type SimClients } from './ecs-helpers';

let clients: SimClients;
afterEach(() => clients.close());

const awslogs = (group: string, extra: Record<string, string> = {}) => ({
  logDriver: 'awslogs' as const,
  options: { 'awslogs-group': group, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'migrate', ...extra },
});

async function setUp(
  containers: ContainerDefinition[],
  options: { manual?: boolean; timeScale?: number } = { manual: true },
) {
  clients = await startWithClients({
    ...options,
    scenarios: [
      {
        image: 'example/migrate:ok',
        startSeconds: 5,
        oneOff: { exitCode: 0, afterSeconds: 30 },
        logs: ['applying 3 migrations', 'done'],
      },
      {
        image: 'example/migrate:bad',
        startSeconds: 5,
        oneOff: { exitCode: 3, afterSeconds: 10 },
        logs: ['migration 0042 failed'],
      },
      { image: 'example/migrate:missing', pull: 'fail', startSeconds: 5 },
      {
        image: 'example/migrate:full',
        placementFailure:
          'Capacity is unavailable at this time. Please try again later or in a different availability zone',
      },
    ],
  });
  await clients.ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  await clients.ecs.send(
    new RegisterTaskDefinitionCommand(fargateTaskDefinition('migrate', 'unused', { containerDefinitions: containers })),
  );
}

const run = (input: Partial<RunTaskCommandInput> = {}) =>
  clients.ecs.send(
    new RunTaskCommand({
      cluster: 'prod',
      taskDefinition: 'migrate',
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      ...input,
    }),
  );

async function describe1(taskArn: string): Promise<Task> {
  return (await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [taskArn] }))).tasks![0];
}

describe('RunTask one-off tasks', () => {
  it('is idempotent on the client token: a retry starts nothing new; other parameters are a ConflictException', async () => {
    await setUp([{ name: 'migrate', image: 'example/migrate:ok' }]);
    const first = await run({ startedBy: 'shipyard-migrate', clientToken: 'run-42' });
    const again = await run({ startedBy: 'shipyard-migrate', clientToken: 'run-42' });
    expect(again.tasks!.map((t) => t.taskArn)).toEqual(first.tasks!.map((t) => t.taskArn));
    const listed = await clients.ecs.send(new ListTasksCommand({ cluster: 'prod', startedBy: 'shipyard-migrate' }));
    expect(listed.taskArns).toHaveLength(1);
    await expect(run({ startedBy: 'other', clientToken: 'run-42' })).rejects.toMatchObject({
      name: 'ConflictException',
    });
  });

  it('runs to the image’s exit code and is seen by waitUntilTasksStopped', async () => {
    await setUp([{ name: 'migrate', image: 'example/migrate:bad' }], { timeScale: 100 });
    const { tasks, failures } = await run({ startedBy: 'shipyard-migrate' });
    expect(failures).toEqual([]);
    expect(tasks![0]).toMatchObject({
      lastStatus: 'PENDING',
      desiredStatus: 'RUNNING',
      startedBy: 'shipyard-migrate',
      group: 'family:migrate',
    });
    const result = await waitUntilTasksStopped(
      { client: clients.ecs, maxWaitTime: 20, minDelay: 1, maxDelay: 1 },
      { cluster: 'prod', tasks: [tasks![0].taskArn!] },
    );
    expect(result.state).toBe('SUCCESS');
    const task = await describe1(tasks![0].taskArn!);
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(task.containers![0]).toMatchObject({ name: 'migrate', exitCode: 3, lastStatus: 'STOPPED' });
  });

  it('stops sidecars when the essential container exits; a container that never started has no exit code', async () => {
    await setUp([
      { name: 'migrate', image: 'example/migrate:ok' },
      { name: 'proxy', image: 'example/proxy:1', essential: false },
    ]);
    const { tasks } = await run();
    clients.sim.control.advance(40_000);
    const done = await describe1(tasks![0].taskArn!);
    expect(done.containers!.map((c) => [c.name, c.exitCode])).toEqual([
      ['migrate', 0],
      ['proxy', 143],
    ]);

    await clients.ecs.send(
      new RegisterTaskDefinitionCommand(
        fargateTaskDefinition('migrate', 'unused', {
          containerDefinitions: [
            { name: 'migrate', image: 'example/migrate:missing' },
            { name: 'proxy', image: 'example/proxy:1', essential: false },
          ],
        }),
      ),
    );
    const failed = (await run()).tasks![0];
    clients.sim.control.advance(10_000);
    const task = await describe1(failed.taskArn!);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError: /);
    expect(task.containers!.map((c) => c.exitCode)).toEqual([undefined, undefined]);
    expect(task.containers![0].reason).toBe(task.stoppedReason);
  });

  it('writes the container’s lines to <prefix>/<container>/<task id> with the awslogs driver', async () => {
    await setUp([{ name: 'migrate', image: 'example/migrate:ok', logConfiguration: awslogs('/ecs/migrate') }]);
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/migrate' }));
    const task = (await run()).tasks![0];
    const taskId = task.taskArn!.split('/').at(-1);
    clients.sim.control.advance(15_000);
    const logStreamName = `migrate/migrate/${taskId}`;
    const partial = await clients.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName, startFromHead: true }),
    );
    expect(partial.events!.map((e) => e.message)).toEqual(['applying 3 migrations']);
    clients.sim.control.advance(25_000);
    const all = await clients.logs.send(
      new GetLogEventsCommand({ logGroupName: '/ecs/migrate', logStreamName, startFromHead: true }),
    );
    expect(all.events!.map((e) => e.message)).toEqual(['applying 3 migrations', 'done']);
  });

  it('fails to start with ResourceInitializationError when the log group is missing, unless awslogs-create-group is true', async () => {
    await setUp([{ name: 'migrate', image: 'example/migrate:ok', logConfiguration: awslogs('/ecs/missing') }]);
    const missing = (await run()).tasks![0];
    clients.sim.control.advance(10_000);
    const task = await describe1(missing.taskArn!);
    expect(task).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart' });
    expect(task.stoppedReason).toMatch(/^ResourceInitializationError: .*The specified log group does not exist/);

    await clients.ecs.send(
      new RegisterTaskDefinitionCommand(
        fargateTaskDefinition('migrate', 'unused', {
          containerDefinitions: [
            {
              name: 'migrate',
              image: 'example/migrate:ok',
              logConfiguration: awslogs('/ecs/created', { 'awslogs-create-group': 'true' }),
            },
          ],
        }),
      ),
    );
    const created = (await run()).tasks![0];
    clients.sim.control.advance(10_000);
    expect((await describe1(created.taskArn!)).lastStatus).toBe('RUNNING');
  });

  it('answers placement failures in failures[] with HTTP 200', async () => {
    await setUp([{ name: 'migrate', image: 'example/migrate:full' }]);
    const result = await run();
    expect(result.tasks).toEqual([]);
    expect(result.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/migrate:1',
        reason: 'Capacity is unavailable at this time. Please try again later or in a different availability zone',
      },
    ]);
  });

  test.each<[string, Partial<RunTaskCommandInput>, unknown]>([
    ['startedBy over 36 characters', { startedBy: 'x'.repeat(37) }, InvalidParameterException],
    [
      'overrides over 8192 characters',
      { overrides: { containerOverrides: [{ name: 'migrate', command: ['x'.repeat(8200)] }] } },
      InvalidParameterException,
    ],
    [
      'an override for an unknown container',
      { overrides: { containerOverrides: [{ name: 'web' }] } },
      InvalidParameterException,
    ],
    ['awsvpc without a network configuration', { networkConfiguration: undefined }, InvalidParameterException],
    ['an unknown task definition', { taskDefinition: 'nope' }, ClientException],
  ])('rejects %s', async (_case, input, errorClass) => {
    await setUp([{ name: 'migrate', image: 'example/migrate:ok' }]);
    await expect(run(input)).rejects.toBeInstanceOf(errorClass);
  });
});

describe('StopTask / ListTasks / DescribeTasks', () => {
  it('stops on request, filters lists, and forgets stopped tasks after an hour', async () => {
    await setUp([{ name: 'migrate', image: 'example/migrate:ok' }]);
    const first = (await run({ startedBy: 'deploy-1' })).tasks![0];
    const second = (await run({ startedBy: 'deploy-2' })).tasks![0];
    clients.sim.control.advance(6_000);

    const stopped = await clients.ecs.send(
      new StopTaskCommand({ cluster: 'prod', task: first.taskArn, reason: 'superseded' }),
    );
    expect(stopped.task).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'UserInitiated',
      stoppedReason: 'superseded',
    });
    clients.sim.control.advance(6_000);
    expect((await describe1(first.taskArn!)).containers![0].exitCode).toBe(143);

    const list = async (input: Record<string, string>) =>
      (await clients.ecs.send(new ListTasksCommand({ cluster: 'prod', ...input }))).taskArns;
    expect(await list({ startedBy: 'deploy-2' })).toEqual([second.taskArn]);
    expect(await list({ family: 'migrate', desiredStatus: 'STOPPED' })).toEqual([first.taskArn]);
    expect(await list({ family: 'other' })).toEqual([]);

    clients.sim.control.advance(3_700_000);
    const later = await clients.ecs.send(
      new DescribeTasksCommand({ cluster: 'prod', tasks: [first.taskArn!, second.taskArn!] }),
    );
    expect(later.tasks).toEqual([]);
    expect(later.failures).toEqual([
      { arn: first.taskArn, reason: 'MISSING' },
      { arn: second.taskArn, reason: 'MISSING' },
    ]);
  });

  it('answers InvalidParameterException for an unknown task', async () => {
    await setUp([{ name: 'migrate', image: 'example/migrate:ok' }]);
    await expect(
      clients.ecs.send(new StopTaskCommand({ cluster: 'prod', task: 'f'.repeat(32) })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
