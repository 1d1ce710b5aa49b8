import {
  ClusterNotFoundException,
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ServiceNotActiveException,
  ServiceNotFoundException,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  advanceUntil,
  fargateTaskDefinition,
  NETWORK,
  startWithClients,
  TARGET_GROUP,
  webSeed,
  type SimClients,
} from './ecs-helpers';

let clients: SimClients;
afterEach(() => clients.close());

async function describeWeb(): Promise<Service> {
  const result = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
  return result.services![0];
}

async function deploy(image: string): Promise<string> {
  const td = await clients.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', image)));
  const updated = await clients.ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: td.taskDefinition!.taskDefinitionArn }),
  );
  return updated.service!.deployments![0].id!;
}

async function describeDeployment(arn: string) {
  const result = await clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return result.serviceDeployments![0];
}

describe('seeded service', () => {
  it('starts steady: tasks running, one COMPLETED deployment, a SUCCESSFUL service deployment', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed() });
    const service = await describeWeb();
    expect(service).toMatchObject({ status: 'ACTIVE', desiredCount: 2, runningCount: 2, pendingCount: 0 });
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2 });
    expect(service.events![0].message).toBe('(service web) has reached a steady state.');
    expect(service.deploymentConfiguration).toMatchObject({
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      strategy: 'ROLLING',
    });
    const deployment = await describeDeployment(service.currentServiceDeployment!);
    expect(deployment.status).toBe('SUCCESSFUL');
    expect(service.currentServiceDeployment).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-deployment\/prod\/web\/\w+$/,
    );
  });
});

describe('rolling deployment', () => {
  it('replaces the tasks of a healthy image and completes', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed() });
    const deploymentId = await deploy('example/web:v2');

    const during = await describeWeb();
    expect(during.deployments!.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    expect(during.deployments![0].rolloutStateReason).toBe(`ECS deployment ${deploymentId} in progress.`);
    expect(during.pendingCount).toBe(2);

    await advanceUntil(clients, async () => (await describeWeb()).deployments!.length === 1);
    const after = await describeWeb();
    expect(after.deployments![0]).toMatchObject({
      id: deploymentId,
      rolloutState: 'COMPLETED',
      rolloutStateReason: `ECS deployment ${deploymentId} completed.`,
      runningCount: 2,
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:2',
    });
    const messages = after.events!.map((e) => e.message);
    expect(messages.slice(0, 2)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${deploymentId}) deployment completed.`,
    ]);
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service web\) has started 2 tasks: \(task \w{32}\) \(task \w{32}\)\.$/),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(/^\(service web\) has stopped 1 running tasks: \(task \w{32}\)\.$/),
    );

    const deployment = await describeDeployment(after.currentServiceDeployment!);
    expect(deployment).toMatchObject({ status: 'SUCCESSFUL', deploymentCircuitBreaker: { status: 'DISABLED' } });
    expect(deployment.sourceServiceRevisions).toHaveLength(1);
    expect(deployment.targetServiceRevision).toMatchObject({ runningTaskCount: 2, requestedTaskCount: 2 });
    expect(clients.sim.control.milestones('service-deployment')).toContainEqual(
      expect.objectContaining({ id: after.currentServiceDeployment, state: 'SUCCESSFUL' }),
    );
  });

  it('trips the circuit breaker on a crashing image, ends FAILED and rolls back to the last completed revision', async () => {
    clients = await startWithClients({
      manual: true,
      seed: webSeed({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } }),
      scenarios: [{ image: 'example/web:crash', startSeconds: 5, crash: { exitCode: 137, afterSeconds: 3 } }],
    });
    const before = await describeWeb();
    const failingId = await deploy('example/web:crash');

    await advanceUntil(clients, async () =>
      (await describeWeb()).deployments!.some((d) => d.rolloutState === 'FAILED'),
    );
    const rollingBack = await describeWeb();
    expect(rollingBack.deployments).toHaveLength(3);
    expect(rollingBack.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
      taskDefinition: before.taskDefinition,
      rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${before.deployments![0].id}.`,
    });
    expect(rollingBack.deployments!.find((d) => d.id === failingId)).toMatchObject({
      status: 'ACTIVE',
      rolloutState: 'FAILED',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      failedTasks: 3,
    });
    expect((await describeDeployment(rollingBack.currentServiceDeployment!)).status).toBe('ROLLBACK_IN_PROGRESS');

    await advanceUntil(clients, async () => (await describeWeb()).deployments!.length === 1);

    const after = await describeWeb();
    expect(after.taskDefinition).toBe(before.taskDefinition);
    expect(after.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      taskDefinition: before.taskDefinition,
      runningCount: 2,
    });
    const messages = after.events!.map((e) => e.message);
    expect(messages).toContain(`(service web) (deployment ${failingId}) deployment failed: tasks failed to start.`);
    expect(messages).toContain(`(service web) rolling back to deployment ${before.deployments![0].id}.`);

    const deployment = await describeDeployment(after.currentServiceDeployment!);
    expect(deployment).toMatchObject({
      status: 'ROLLBACK_SUCCESSFUL',
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
      rollback: { serviceRevisionArn: deployment.sourceServiceRevisions![0].arn },
    });

    const stopped = await clients.ecs.send(
      new ListTasksCommand({ cluster: 'prod', serviceName: 'web', desiredStatus: 'STOPPED' }),
    );
    const tasks = await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: stopped.taskArns }));
    const crashed = tasks.tasks!.filter((t) => t.taskDefinitionArn!.endsWith('web:2'));
    expect(crashed.length).toBeGreaterThanOrEqual(3);
    expect(crashed[0]).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(crashed[0].containers![0]).toMatchObject({ name: 'app', exitCode: 137, lastStatus: 'STOPPED' });
  });

  it('without rollback leaves the failed deployment PRIMARY and the old tasks running', async () => {
    clients = await startWithClients({
      manual: true,
      seed: webSeed({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } }),
      scenarios: [{ image: 'example/web:broken', pull: 'fail', startSeconds: 2 }],
    });
    const failingId = await deploy('example/web:broken');
    await advanceUntil(clients, async () => (await describeWeb()).deployments![0].rolloutState === 'FAILED');
    clients.sim.control.advance(120_000);
    const service = await describeWeb();
    expect(service.deployments!.map((d) => [d.id === failingId, d.status, d.rolloutState, d.runningCount])).toEqual([
      [true, 'PRIMARY', 'FAILED', 0],
      [false, 'ACTIVE', 'COMPLETED', 2],
    ]);
    expect((await describeDeployment(service.currentServiceDeployment!)).status).toBe('STOPPED');
    const stopped = await clients.ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }));
    const task = (await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [stopped.taskArns![0]] })))
      .tasks![0];
    expect(task).toMatchObject({ stopCode: 'TaskFailedToStart', lastStatus: 'STOPPED' });
    expect(task.startedAt).toBeUndefined();
    expect(task.containers![0].reason).toMatch(/^CannotPullContainerError: /);
    expect(task.containers![0].exitCode).toBeUndefined();
  });

  it('replaces tasks that fail load balancer health checks and says so in events', async () => {
    clients = await startWithClients({
      manual: true,
      seed: webSeed({ loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'app', containerPort: 8080 }] }),
      scenarios: [{ image: 'example/web:sick', health: 'unhealthy', startSeconds: 1, healthCheckSeconds: 5 }],
    });
    await deploy('example/web:sick');
    clients.sim.control.advance(60_000);
    const service = await describeWeb();
    expect(service.deployments![0].failedTasks).toBeGreaterThan(0);
    expect(service.events!.map((e) => e.message)).toContain(
      `(service web) (port 8080) is unhealthy in (target-group ${TARGET_GROUP}) due to (reason Health checks failed).`,
    );
    const stopped = await clients.ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }));
    const tasks = (await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: stopped.taskArns })))
      .tasks!;
    expect(tasks[0]).toMatchObject({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: `Task failed ELB health checks in (target-group ${TARGET_GROUP})`,
    });
  });

  it('keeps at most 100 events, newest first', async () => {
    clients = await startWithClients({
      manual: true,
      seed: webSeed(),
      scenarios: [{ image: 'example/web:loop', startSeconds: 1, crash: { exitCode: 1, afterSeconds: 1 } }],
    });
    await deploy('example/web:loop');
    for (let i = 0; i < 600; i++) clients.sim.control.advance(10_000);
    const events = (await describeWeb()).events!;
    expect(events).toHaveLength(100);
    const times = events.map((e) => e.createdAt!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('rescales without a new deployment when only desiredCount changes', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed() });
    const before = await describeWeb();
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 3 }));
    await advanceUntil(
      clients,
      async () => (await describeWeb()).events![0].message === '(service web) has reached a steady state.',
    );
    const after = await describeWeb();
    expect(after.runningCount).toBe(3);
    expect(after.deployments!.map((d) => d.id)).toEqual([before.deployments![0].id]);
    expect(after.events![1].message).toMatch(/^\(service web\) has started 1 tasks: /);
    const history = await clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'prod', service: 'web' }));
    expect(history.serviceDeployments).toHaveLength(1);
  });
});

describe('CreateService / DeleteService', () => {
  it('creates a service whose first deployment starts its tasks, and refuses a second with the same name', async () => {
    clients = await startWithClients({ timeScale: 200 });
    await clients.ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    await clients.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', 'example/web:v1')));
    const input = {
      cluster: 'prod',
      serviceName: 'web',
      taskDefinition: 'web',
      desiredCount: 2,
      launchType: 'FARGATE' as const,
      networkConfiguration: NETWORK,
      tags: [{ key: 'team', value: 'core' }],
    };
    const { service } = await clients.ecs.send(new CreateServiceCommand(input));
    expect(service).toMatchObject({
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web',
      status: 'ACTIVE',
      deploymentController: { type: 'ECS' },
      deployments: [expect.objectContaining({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2 })],
      tags: [{ key: 'team', value: 'core' }],
    });
    await waitUntilServicesStable(
      { client: clients.ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { cluster: 'prod', services: ['web'] },
    );
    await expect(clients.ecs.send(new CreateServiceCommand(input))).rejects.toThrow(
      'Creation of service was not idempotent.',
    );
    const tasks = await clients.ecs.send(new ListTasksCommand({ cluster: 'prod', serviceName: 'web' }));
    const described = await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: tasks.taskArns }));
    expect(described.tasks!.map((t) => [t.group, t.startedBy, t.lastStatus])).toEqual([
      ['service:web', service!.deployments![0].id, 'RUNNING'],
      ['service:web', service!.deployments![0].id, 'RUNNING'],
    ]);
  });

  it('drains a deleted service; it is then no longer ACTIVE', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed() });
    await expect(
      clients.ecs.send(new DeleteServiceCommand({ cluster: 'prod', service: 'web' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const { service } = await clients.ecs.send(
      new DeleteServiceCommand({ cluster: 'prod', service: 'web', force: true }),
    );
    expect(service!.status).toBe('DRAINING');
    await expect(
      clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ServiceNotActiveException);
    clients.sim.control.advance(60_000);
    expect((await describeWeb()).status).toBe('INACTIVE');
  });
});

describe('waiters and errors', () => {
  it('waitUntilServicesStable succeeds once the deployment completes', async () => {
    clients = await startWithClients({ timeScale: 200, seed: webSeed() });
    await deploy('example/web:v2');
    const result = await waitUntilServicesStable(
      { client: clients.ecs, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { cluster: 'prod', services: ['web'] },
    );
    expect(result.state).toBe('SUCCESS');
    expect((await describeWeb()).taskDefinition).toMatch(/web:2$/);
  });

  it('answers modeled exceptions and MISSING failures', async () => {
    clients = await startWithClients({ manual: true, seed: webSeed() });
    await expect(
      clients.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['web'] })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
    await expect(
      clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', desiredCount: 1 })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    const missing = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web', 'api'] }));
    expect(missing.services).toHaveLength(1);
    expect(missing.failures).toEqual([
      { arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/api', reason: 'MISSING' },
    ]);
  });
});
