import {
  CloudFrontClient,
  CreateInvalidationCommand,
  GetInvalidationCommand,
  NoSuchInvalidation,
} from '@aws-sdk/client-cloudfront';
import {
  ClientException,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { Lags } from '../src/lags';
import { fargateTaskDefinition, NETWORK, startWithClients, webSeed, type SimClients } from './ecs-helpers';

// The eventually consistent answers the sim gives when asked (SimOptions.lags): each stale for a bounded while
// after the write, then settled; none by default.

let clients: SimClients;
afterEach(() => clients.close());

const start = async (lags: Lags = {}) => {
  clients = await startWithClients({ manual: true, seed: webSeed(), lags });
  return clients;
};

const register = async (image = 'example/web:v2') =>
  (await clients.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', image)))).taskDefinition!
    .taskDefinitionArn!;

const update = (taskDefinition: string) =>
  clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition }));

/** What each of `n` calls answered: 'ok' or the error name. */
async function outcomes(n: number, call: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++)
    seen.push(
      await call().then(
        () => 'ok',
        (error: Error) => error.name,
      ),
    );
  return seen;
}

describe('unknownNewTaskDefinition', () => {
  test('off by default: a new revision is known at once', async () => {
    await start();
    const arn = await register();
    expect(
      await outcomes(1, () => clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))),
    ).toEqual(['ok']);
  });

  test('each reader sees the new revision as unknown for its first reads (2 by default), by ARN or family:revision', async () => {
    await start({ unknownNewTaskDefinition: true });
    const arn = await register();
    const describe = () => clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:2' }));
    expect(await outcomes(3, describe)).toEqual(['ClientException', 'ClientException', 'ok']);
    const error = await update(arn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientException);
    expect((error as Error).message).toBe('Unable to describe task definition.');
    const run = () =>
      clients.ecs.send(
        new RunTaskCommand({
          cluster: 'prod',
          taskDefinition: arn,
          launchType: 'FARGATE',
          networkConfiguration: NETWORK,
        }),
      );
    expect(await outcomes(3, run)).toEqual(['ClientException', 'ClientException', 'ok']);
    // A bare family still names the latest revision.
    const latest = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
    expect(latest.taskDefinition!.revision).toBe(2);
  });

  test('bounded by simulated time too', async () => {
    await start({ unknownNewTaskDefinition: { ms: 5_000 } });
    const arn = await register();
    const describe = () => clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }));
    expect(await outcomes(4, describe)).toEqual(Array(4).fill('ClientException'));
    clients.sim.control.advance(5_000);
    expect(await outcomes(1, describe)).toEqual(['ok']);
  });
});

describe('staleServiceAfterUpdate', () => {
  test('DescribeServices shows the service as it was before the update, then as it is', async () => {
    await start({ staleServiceAfterUpdate: { reads: 3 } });
    const before = (await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] })))
      .services![0];
    const arn = await register();
    const { service } = await update(arn);
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const described = (await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] })))
        .services![0];
      seen.push([described.taskDefinition, described.deployments!.length, described.currentServiceDeployment]);
    }
    const old = [before.taskDefinition, 1, before.currentServiceDeployment];
    expect(seen).toEqual([old, old, old, [arn, 2, service!.currentServiceDeployment]]);
  });
});

describe('unlistedNewServiceDeployment', () => {
  test('the new service deployment is neither listed nor described at first', async () => {
    await start({ unlistedNewServiceDeployment: true });
    const { service } = await update(await register());
    const arn = service!.currentServiceDeployment!;
    const listed = async () =>
      (await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' })))
        .serviceDeployments!.map((d) => d.serviceDeploymentArn)
        .includes(arn);
    expect([await listed(), await listed(), await listed()]).toEqual([false, false, true]);
    const described = () => clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    expect((await described()).failures).toEqual([{ arn, reason: 'MISSING' }]);
    await described();
    expect((await described()).serviceDeployments![0].serviceDeploymentArn).toBe(arn);
  });
});

describe('missingNewTask', () => {
  test('DescribeTasks answers a task just started as MISSING, then describes it', async () => {
    await start({ missingNewTask: { reads: 1 } });
    const { tasks } = await clients.ecs.send(
      new RunTaskCommand({
        cluster: 'prod',
        taskDefinition: 'web',
        launchType: 'FARGATE',
        networkConfiguration: NETWORK,
      }),
    );
    const arn = tasks![0].taskArn!;
    const first = await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [arn] }));
    expect(first).toMatchObject({ tasks: [], failures: [{ arn, reason: 'MISSING' }] });
    const second = await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [arn] }));
    expect(second.tasks![0].taskArn).toBe(arn);
  });
});

describe('unknownNewInvalidation', () => {
  test('GetInvalidation answers NoSuchInvalidation for an invalidation just created, then finds it', async () => {
    clients = await startWithClients({
      manual: true,
      seed: { cloudfront: { distributions: [{ id: 'E1SITE' }] } },
      lags: { unknownNewInvalidation: true },
    });
    const cloudfront = new CloudFrontClient({
      endpoint: clients.sim.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
    try {
      const { Invalidation } = await cloudfront.send(
        new CreateInvalidationCommand({
          DistributionId: 'E1SITE',
          InvalidationBatch: { CallerReference: 'r', Paths: { Quantity: 1, Items: ['/*'] } },
        }),
      );
      const get = () => cloudfront.send(new GetInvalidationCommand({ DistributionId: 'E1SITE', Id: Invalidation!.Id }));
      expect(await outcomes(3, get)).toEqual([NoSuchInvalidation.name, NoSuchInvalidation.name, 'ok']);
    } finally {
      cloudfront.destroy();
    }
  });
});
