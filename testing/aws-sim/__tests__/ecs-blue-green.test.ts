import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { ImageScenario } from '../src/scenarios';
import { liveUrls } from '../src/server';
import {
  advanceUntil,
  blueGreenLoadBalancers,
  fargateTaskDefinition,
  fetchText,
  startWithClients,
  webSeed,
  type SimClients,
} from './ecs-helpers';

let clients: SimClients;
afterEach(() => clients.close());

const STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];

async function startBlueGreen(
  deploymentConfiguration: Record<string, unknown> = {},
  scenarios: ImageScenario[] = [{ image: '*', healthCheckSeconds: 5 }],
) {
  clients = await startWithClients({
    manual: true,
    scenarios,
    seed: webSeed({
      loadBalancers: blueGreenLoadBalancers,
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2, ...deploymentConfiguration },
    }),
  });
}

/** Deploys `image` and returns the new service deployment's ARN. */
async function deploy(image: string): Promise<string> {
  const td = await clients.ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', image)));
  const { service } = await clients.ecs.send(
    new UpdateServiceCommand({ cluster: 'prod', service: 'web', taskDefinition: td.taskDefinition!.taskDefinitionArn }),
  );
  return service!.currentServiceDeployment!;
}

async function describeDeployment(arn: string): Promise<ServiceDeployment> {
  const result = await clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return result.serviceDeployments![0];
}

async function liveVersions(): Promise<{ production: string; test: string }> {
  const urls = liveUrls(clients.sim, 'prod', 'web');
  const [production, test] = await Promise.all([
    fetchText(`${urls.production}/version`),
    fetchText(`${urls.test}/version`),
  ]);
  return { production: JSON.parse(production.body).version, test: JSON.parse(test.body).version };
}

/** Stages last at least 5 simulated seconds, so 2-second steps see every one. */
const until = (done: () => Promise<boolean>) => advanceUntil(clients, done, 2_000);

const weights = (d: ServiceDeployment) => ({
  target: [
    d.targetServiceRevision!.requestedProductionTrafficWeight,
    d.targetServiceRevision!.requestedTestTrafficWeight,
  ],
  source: [
    d.sourceServiceRevisions![0].requestedProductionTrafficWeight,
    d.sourceServiceRevisions![0].requestedTestTrafficWeight,
  ],
});

describe('blue/green deployment', () => {
  it('walks every lifecycle stage with the right weights, serving the new revision on test traffic first', async () => {
    await startBlueGreen();
    const arn = await deploy('example/web:v2');
    const seen: { stage: string; weights: ReturnType<typeof weights>; live: { production: string; test: string } }[] =
      [];
    await until(async () => {
      const deployment = await describeDeployment(arn);
      if (deployment.status !== 'IN_PROGRESS') return true;
      if (seen.at(-1)?.stage !== deployment.lifecycleStage) {
        seen.push({ stage: deployment.lifecycleStage!, weights: weights(deployment), live: await liveVersions() });
      }
      return false;
    });

    expect(seen.map((s) => s.stage)).toEqual(STAGES);
    const at = (stage: string) => seen.find((s) => s.stage === stage)!;
    expect(at('SCALE_UP')).toMatchObject({
      weights: { target: [0, 0], source: [100, 100] },
      live: { production: 'v1', test: 'v1' },
    });
    expect(at('POST_TEST_TRAFFIC_SHIFT')).toMatchObject({
      weights: { target: [0, 100], source: [100, 0] },
      live: { production: 'v1', test: 'v2' },
    });
    expect(at('PRODUCTION_TRAFFIC_SHIFT')).toMatchObject({
      weights: { target: [100, 100], source: [0, 0] },
      live: { production: 'v2', test: 'v2' },
    });
    expect(at('BAKE_TIME').live).toEqual({ production: 'v2', test: 'v2' });

    const final = await describeDeployment(arn);
    expect(final.status).toBe('SUCCESSFUL');
    expect(final.finishedAt!.getTime() - final.startedAt!.getTime()).toBeGreaterThanOrEqual(2 * 60_000);
    const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services![0].deployments).toHaveLength(1);
    expect(services![0]).toMatchObject({ runningCount: 2, taskDefinition: expect.stringMatching(/web:2$/) });
  });

  it('rolls back instantly with StopServiceDeployment(ROLLBACK) during bake time', async () => {
    await startBlueGreen({ bakeTimeInMinutes: 30 });
    const arn = await deploy('example/web:v2');
    await until(async () => (await describeDeployment(arn)).lifecycleStage === 'BAKE_TIME');
    expect(await liveVersions()).toEqual({ production: 'v2', test: 'v2' });

    await clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }));
    expect((await describeDeployment(arn)).status).toBe('ROLLBACK_REQUESTED');
    clients.sim.control.advance(1_000);
    expect(await liveVersions()).toEqual({ production: 'v1', test: 'v1' });
    expect((await describeDeployment(arn)).status).toBe('ROLLBACK_IN_PROGRESS');

    await until(async () => (await describeDeployment(arn)).status === 'ROLLBACK_SUCCESSFUL');
    const final = await describeDeployment(arn);
    expect(final.rollback).toMatchObject({
      reason: 'Service deployment rolled back because of a StopServiceDeployment request.',
      serviceRevisionArn: final.sourceServiceRevisions![0].arn,
    });
    const { services } = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['web'] }));
    expect(services![0].taskDefinition).toMatch(/web:1$/);
    expect(services![0].deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', runningCount: 2 })]);
  });

  it('holds at a PAUSE hook with AWAITING_ACTION until ContinueServiceDeployment(CONTINUE)', async () => {
    await startBlueGreen({ lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }] });
    const arn = await deploy('example/web:v2');
    await advanceUntil(
      clients,
      async () => (await describeDeployment(arn)).lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION',
    );
    clients.sim.control.advance(3_600_000);
    const paused = await describeDeployment(arn);
    expect(paused).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT' });
    const hook = paused.lifecycleHookDetails![0];
    expect(hook).toMatchObject({ targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' });
    expect(hook.hookId).toMatch(/^ecs-pause-/);
    expect(hook.expiresAt!.getTime() - paused.startedAt!.getTime()).toBeGreaterThan(23 * 3_600_000);
    expect(await liveVersions()).toEqual({ production: 'v1', test: 'v2' });

    await clients.ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId, action: 'CONTINUE' }),
    );
    await expect(
      clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId: hook.hookId })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await until(async () => (await describeDeployment(arn)).status === 'SUCCESSFUL');
    expect(await liveVersions()).toEqual({ production: 'v2', test: 'v2' });
  });

  it('rolls back when a PAUSE hook is answered ROLLBACK or times out', async () => {
    await startBlueGreen({
      lifecycleHooks: [
        {
          targetType: 'PAUSE',
          lifecycleStages: ['POST_SCALE_UP'],
          timeoutConfiguration: { timeoutInMinutes: 5, action: 'ROLLBACK' },
        },
      ],
    });
    const timedOut = await deploy('example/web:v2');
    await until(async () => (await describeDeployment(timedOut)).status === 'ROLLBACK_SUCCESSFUL');
    expect((await describeDeployment(timedOut)).lifecycleHookDetails![0].status).toBe('TIMED_OUT');

    const answered = await deploy('example/web:v3');
    await advanceUntil(
      clients,
      async () => (await describeDeployment(answered)).lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION',
    );
    const hookId = (await describeDeployment(answered)).lifecycleHookDetails![0].hookId;
    await clients.ecs.send(
      new ContinueServiceDeploymentCommand({ serviceDeploymentArn: answered, hookId, action: 'ROLLBACK' }),
    );
    await until(async () => (await describeDeployment(answered)).status === 'ROLLBACK_SUCCESSFUL');
    expect(await liveVersions()).toEqual({ production: 'v1', test: 'v1' });
  });

  it('rolls back through the circuit breaker when the new revision crashes, never serving it in production', async () => {
    await startBlueGreen({ deploymentCircuitBreaker: { enable: true, rollback: true } }, [
      { image: '*', healthCheckSeconds: 5 },
      { image: '*:crash', startSeconds: 2, crash: { exitCode: 1, afterSeconds: 2 } },
    ]);
    const arn = await deploy('example/web:crash');
    const productionVersions = new Set<string>();
    await until(async () => {
      productionVersions.add((await liveVersions()).production);
      return (await describeDeployment(arn)).status === 'ROLLBACK_SUCCESSFUL';
    });
    expect(productionVersions).toEqual(new Set(['v1']));
    expect((await describeDeployment(arn)).deploymentCircuitBreaker).toMatchObject({
      status: 'TRIGGERED',
      threshold: 3,
    });
  });

  it('shifts production traffic in steps for CANARY', async () => {
    await startBlueGreen({
      strategy: 'CANARY',
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
    });
    const arn = await deploy('example/web:v2');
    await advanceUntil(
      clients,
      async () => (await describeDeployment(arn)).lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT',
    );
    clients.sim.control.advance(10_000);
    expect(weights(await describeDeployment(arn))).toEqual({ target: [10, 100], source: [90, 0] });
    const versions = [];
    for (let i = 0; i < 20; i++)
      versions.push(
        JSON.parse((await fetchText(`${liveUrls(clients.sim, 'prod', 'web').production}/version`)).body).version,
      );
    expect(versions.filter((v) => v === 'v2')).toHaveLength(2);
    await until(async () => (await describeDeployment(arn)).status === 'SUCCESSFUL');
  });

  it('refuses a PAUSE hook at a traffic shift stage', async () => {
    await startBlueGreen();
    const error = await clients.ecs
      .send(
        new UpdateServiceCommand({
          cluster: 'prod',
          service: 'web',
          deploymentConfiguration: {
            lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['TEST_TRAFFIC_SHIFT'] }],
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
  });
});
