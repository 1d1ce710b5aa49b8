import {
  ConflictException,
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  ServiceDeploymentNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { advanceUntil, fargateTaskDefinition, startWithClients, webSeed, type SimClients } from './ecs-helpers';

let clients: SimClients;
beforeEach(async () => {
  clients = await startWithClients({ manual: true, seed: webSeed() });
});
afterEach(() => clients.close());

async function deploy(image: string): Promise<string> {
  const td = await clients.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', image)));
  const { service } = await clients.ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: td.taskDefinition!.taskDefinitionArn }),
  );
  return service!.currentServiceDeployment!;
}

const describeDeployment = async (arn: string) =>
  (await clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })))
    .serviceDeployments![0];

describe('ListServiceDeployments / DescribeServiceDeployments / DescribeServiceRevisions', () => {
  it('lists a rolling service’s deployments newest first, filtered by status and creation time', async () => {
    const seeded = (await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' })))
      .serviceDeployments!;
    clients.sim.control.advance(60_000);
    const since = new Date(clients.clock!.now());
    const arn = await deploy('example/web:v2');

    const all = await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    expect(all.serviceDeployments!.map((d) => [d.serviceDeploymentArn, d.status])).toEqual([
      [arn, 'IN_PROGRESS'],
      [seeded[0].serviceDeploymentArn, 'SUCCESSFUL'],
    ]);
    const running = await clients.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', status: ['IN_PROGRESS'] }),
    );
    expect(running.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([arn]);
    const recent = await clients.ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web', createdAt: { after: since } }),
    );
    expect(recent.serviceDeployments).toHaveLength(1);

    const described = await clients.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn, `${arn}x`] }),
    );
    expect(described.failures).toEqual([{ arn: `${arn}x`, reason: 'MISSING' }]);
    const deployment = described.serviceDeployments![0];
    expect(deployment.sourceServiceRevisions![0].arn).toBe(seeded[0].targetServiceRevisionArn);
    const revisions = await clients.ecs.send(
      new DescribeServiceRevisionsCommand({ serviceRevisionArns: [deployment.targetServiceRevision!.arn!] }),
    );
    expect(revisions.serviceRevisions![0]).toMatchObject({
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
      containerImages: [{ containerName: 'app', image: 'example/web:v2' }],
    });
    expect(deployment.targetServiceRevision!.arn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-revision\/prod\/web\/\d+$/,
    );
  });
});

describe('StopServiceDeployment on a rolling deployment', () => {
  it('ROLLBACK returns to the previous revision and ends ROLLBACK_SUCCESSFUL', async () => {
    const arn = await deploy('example/web:v2');
    clients.sim.control.advance(5_000);
    await clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    await advanceUntil(clients, async () => (await describeDeployment(arn)).status === 'ROLLBACK_SUCCESSFUL');
    const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services![0].taskDefinition).toMatch(/web:1$/);
    expect(services![0].deployments).toHaveLength(1);
    expect(clients.sim.control.milestones('service-deployment').map((m) => [m.id, m.state])).toContainEqual([
      arn,
      'ROLLBACK_SUCCESSFUL',
    ]);
    await expect(
      clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).rejects.toBeInstanceOf(ConflictException);
  });

  it('ABORT stops the deployment where it is', async () => {
    const arn = await deploy('example/web:v2');
    await clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ABORT' }));
    expect((await describeDeployment(arn)).status).toBe('STOP_REQUESTED');
    clients.sim.control.advance(120_000);
    expect(await describeDeployment(arn)).toMatchObject({ status: 'STOPPED', stoppedAt: expect.any(Date) });
    const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services![0].deployments!.map((d) => d.rolloutState)).toEqual(['FAILED', 'COMPLETED']);
  });

  it('answers ServiceDeploymentNotFoundException for an unknown ARN', async () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/doesnotexist';
    await expect(
      clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn })),
    ).rejects.toBeInstanceOf(ServiceDeploymentNotFoundException);
    await expect(
      clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: 'ecs-pause-x' })),
    ).rejects.toBeInstanceOf(ServiceDeploymentNotFoundException);
  });
});
