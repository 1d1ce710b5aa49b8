import type { Deployment, ECSClient, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { DeploymentSnapshot, DeploymentTarget } from '../src/deployments';
import { startRollback, startEveryRollback, type RollbackStep } from '../src/rollback/start';
import { judgeRollback, watchRollbacks, watchRollbacksToEnd } from '../src/rollback/watch';
import { fakeClock } from '@shipyard/platform/poll';
import { awsError, fakeClient } from '@shipyard/testkit/fake-client';

const GOOD = 'td/web:2';
const BAD = 'td/web:3';
const target: DeploymentTarget = { service: 'web', taskDefinitionArn: GOOD, serviceDeploymentArn: 'sd/3' };
const primaryOn = (taskDefinition: string, rolloutState: Deployment['rolloutState'] = 'COMPLETED') => ({
  serviceName: 'web',
  status: 'ACTIVE',
  deployments: [{ id: 'ecs-svc/9', status: 'PRIMARY', taskDefinition, rolloutState, desiredCount: 2, runningCount: 2 }],
});
const snapshot = (status: ServiceDeployment['status'], primary: string): DeploymentSnapshot => ({
  serviceDeployment: { serviceDeploymentArn: 'sd/3', status },
  service: primaryOn(primary),
});

describe('judgeRollback', () => {
  test.each([
    ['our UpdateService deployment succeeded', snapshot('SUCCESSFUL', GOOD), { state: 'succeeded' }],
    ['still going', snapshot('IN_PROGRESS', BAD), { state: 'in-progress' }],
    ['the stopped deployment is rolling back', snapshot('ROLLBACK_IN_PROGRESS', GOOD), { state: 'in-progress' }],
    ['the stop was just requested', snapshot('ROLLBACK_REQUESTED', BAD), { state: 'in-progress' }],
    ['ECS rolled back onto the target', snapshot('ROLLBACK_SUCCESSFUL', GOOD), { state: 'succeeded' }],
    [
      'our deployment was rolled back by the circuit breaker, to where we came from',
      snapshot('ROLLBACK_SUCCESSFUL', BAD),
      {
        state: 'failed',
        reason: `service deployment ROLLBACK_SUCCESSFUL; the service is back on ${BAD}, not on ${GOOD}`,
        ecsRollback: 'none',
      },
    ],
    [
      'the rollback failed',
      snapshot('ROLLBACK_FAILED', BAD),
      { state: 'failed', reason: 'service deployment ROLLBACK_FAILED', ecsRollback: 'failed' },
    ],
    [
      'the deployment was stopped',
      snapshot('STOPPED', BAD),
      { state: 'failed', reason: 'service deployment STOPPED', ecsRollback: 'none' },
    ],
  ])('%s', (_name, snap, verdict) => {
    expect(judgeRollback(target, snap)).toEqual(verdict);
  });
});

describe('startRollback', () => {
  const step = (method: RollbackStep['method']): RollbackStep => ({
    service: 'web',
    taskDefinitionArn: GOOD,
    method,
    current: {
      serviceDeploymentArn: 'sd/3',
      status: 'IN_PROGRESS',
      targetTaskDefinition: BAD,
      sourceTaskDefinitions: [GOOD],
    },
  });
  const updated = {
    UpdateServiceCommand: () => ({
      service: {
        currentServiceDeployment: 'sd/4',
        deployments: [{ id: 'ecs-svc/4', status: 'PRIMARY', taskDefinition: GOOD }],
      },
    }),
  };

  test('stop: StopServiceDeployment with ROLLBACK, then the stopped deployment is watched', async () => {
    const ecs = fakeClient({ StopServiceDeploymentCommand: () => ({ serviceDeploymentArn: 'sd/3' }) });
    expect(await startRollback(ecs as unknown as ECSClient, 'prod', step('stop'))).toEqual({
      method: 'stop',
      target: { service: 'web', taskDefinitionArn: GOOD, serviceDeploymentArn: 'sd/3' },
    });
    expect(ecs.calls()).toEqual([
      { name: 'StopServiceDeploymentCommand', input: { serviceDeploymentArn: 'sd/3', stopType: 'ROLLBACK' } },
    ]);
  });

  test('stop: a deployment that finished meanwhile (ConflictException) is replaced by UpdateService', async () => {
    const ecs = fakeClient({
      StopServiceDeploymentCommand: () => {
        throw awsError('ConflictException', 'The service deployment is SUCCESSFUL and can no longer be stopped.');
      },
      ...updated,
    });
    const started = await startRollback(ecs as unknown as ECSClient, 'prod', step('stop'));
    expect(started).toEqual({
      method: 'update',
      target: { service: 'web', taskDefinitionArn: GOOD, deploymentId: 'ecs-svc/4', serviceDeploymentArn: 'sd/4' },
    });
    expect(ecs.calls().map((c) => c.name)).toEqual(['StopServiceDeploymentCommand', 'UpdateServiceCommand']);
  });

  test('update: UpdateService to the target, watching the new deployment', async () => {
    const ecs = fakeClient(updated);
    const started = await startRollback(ecs as unknown as ECSClient, 'prod', step('update'));
    expect(started.target).toEqual({
      service: 'web',
      taskDefinitionArn: GOOD,
      deploymentId: 'ecs-svc/4',
      serviceDeploymentArn: 'sd/4',
    });
    expect(ecs.calls()).toEqual([
      { name: 'UpdateServiceCommand', input: { cluster: 'prod', service: 'web', taskDefinition: GOOD } },
    ]);
  });

  test('await and none make no call', async () => {
    const ecs = fakeClient({});
    expect(await startRollback(ecs as unknown as ECSClient, 'prod', step('await'))).toEqual({
      method: 'await',
      target: { service: 'web', taskDefinitionArn: GOOD, serviceDeploymentArn: 'sd/3' },
    });
    expect(await startRollback(ecs as unknown as ECSClient, 'prod', step('none'))).toEqual({ method: 'none' });
    expect(ecs.calls()).toEqual([]);
  });

  test('stop refused (AccessDeniedException): falls back to UpdateService to the target', async () => {
    const ecs = fakeClient({
      StopServiceDeploymentCommand: () => {
        throw awsError('AccessDeniedException', 'not authorized to perform: ecs:StopServiceDeployment');
      },
      ...updated,
    });
    const started = await startRollback(ecs as unknown as ECSClient, 'prod', step('stop'));
    expect(started.method).toBe('update');
    expect(started.target?.taskDefinitionArn).toBe(GOOD);
    expect(ecs.calls().map((c) => c.name)).toEqual(['StopServiceDeploymentCommand', 'UpdateServiceCommand']);
  });

  test('update: passing faults are tried again until UpdateService answers', async () => {
    let failures = 2;
    const ecs = fakeClient({
      UpdateServiceCommand: () => {
        if (failures-- > 0)
          throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
        return updated.UpdateServiceCommand();
      },
    });
    const clock = fakeClock();
    const started = await startRollback(ecs as unknown as ECSClient, 'prod', step('update'), { clock });
    expect(started.target?.deploymentId).toBe('ecs-svc/4');
    expect(ecs.calls('UpdateServiceCommand')).toHaveLength(3);
    expect(clock.sleeps.length).toBe(2);
  });

  test('update: a refusal is thrown at once, and so is a passing fault that outlasts the patience', async () => {
    const denied = fakeClient({
      UpdateServiceCommand: () => {
        throw awsError('AccessDeniedException');
      },
    });
    await expect(startRollback(denied as unknown as ECSClient, 'prod', step('update'))).rejects.toThrow(
      'AccessDeniedException',
    );
    expect(denied.calls()).toHaveLength(1);
    const down = fakeClient({
      UpdateServiceCommand: () => {
        throw Object.assign(new Error('down'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
      },
    });
    const clock = fakeClock();
    await expect(startRollback(down as unknown as ECSClient, 'prod', step('update'), { clock })).rejects.toThrow(
      'down',
    );
    expect(clock.now()).toBeLessThanOrEqual(60_000);
    expect(down.calls().length).toBeGreaterThan(3);
  });

  test('startEveryRollback starts every step at once; a refused one ends with its error, the others go on', async () => {
    const ecs = fakeClient({
      UpdateServiceCommand: (input: { service: string }) => {
        if (input.service === 'api') throw awsError('AccessDeniedException');
        return updated.UpdateServiceCommand();
      },
      DescribeServicesCommand: () => ({ services: [{ currentServiceDeployment: 'sd/4' }] }),
    });
    const steps = [{ ...step('update'), service: 'api' }, step('update'), step('none')];
    const outcomes = await startEveryRollback(ecs as unknown as ECSClient, 'prod', steps, { clock: fakeClock() });
    expect(outcomes[0]).toEqual({ error: expect.objectContaining({ name: 'AccessDeniedException' }) });
    expect(outcomes[1]).toMatchObject({
      started: { method: 'update', target: { service: 'web', taskDefinitionArn: GOOD } },
    });
    expect(outcomes[2]).toEqual({ started: { method: 'none' } });
  });
});

describe('watchRollbacks', () => {
  test('keeps watching a stopped deployment through ROLLBACK_* until the service is stable on the target', async () => {
    const timeline: ServiceDeployment['status'][] = [
      'ROLLBACK_REQUESTED',
      'ROLLBACK_IN_PROGRESS',
      'ROLLBACK_SUCCESSFUL',
    ];
    let round = 0;
    const ecs = fakeClient({
      DescribeServiceDeploymentsCommand: () => ({
        serviceDeployments: [
          { serviceDeploymentArn: 'sd/3', status: timeline[Math.min(round++, timeline.length - 1)] },
        ],
      }),
      DescribeServicesCommand: () => ({ services: [primaryOn(round >= 2 ? GOOD : BAD)] }),
    });
    const seen: string[] = [];
    const result = await watchRollbacks({
      ecs: ecs as unknown as ECSClient,
      cluster: 'prod',
      targets: [target],
      timeoutMs: 60_000,
      clock: fakeClock(),
      onUpdate: (_t, watched) => seen.push(`${watched.snapshot.serviceDeployment?.status} ${watched.verdict.state}`),
    });
    expect(seen).toEqual([
      'ROLLBACK_REQUESTED in-progress',
      'ROLLBACK_IN_PROGRESS in-progress',
      'ROLLBACK_SUCCESSFUL succeeded',
    ]);
    expect(result.get('web')?.verdict).toEqual({ state: 'succeeded' });
  });

  test('goes on after a few odd errors (a denied read), and gives up after more', async () => {
    const watchWith = async (deniedReads: number) => {
      let denied = 0;
      const ecs = fakeClient({
        DescribeServiceDeploymentsCommand: () => ({
          serviceDeployments: [{ serviceDeploymentArn: 'sd/3', status: 'ROLLBACK_SUCCESSFUL' }],
        }),
        DescribeServicesCommand: () => {
          if (denied++ < deniedReads) throw awsError('AccessDeniedException', 'not authorized: ecs:DescribeServices');
          return { services: [primaryOn(GOOD)] };
        },
      });
      const options = { ecs: ecs as unknown as ECSClient, cluster: 'prod', targets: [target], timeoutMs: 60_000 };
      return watchRollbacks({ ...options, clock: fakeClock() });
    };
    expect((await watchWith(3)).get('web')?.verdict).toEqual({ state: 'succeeded' });
    await expect(watchWith(4)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('watchRollbacksToEnd', () => {
  const ecsOn = (status: ServiceDeployment['status'], primary: string) =>
    fakeClient({
      DescribeServiceDeploymentsCommand: () => ({ serviceDeployments: [{ serviceDeploymentArn: 'sd/3', status }] }),
      DescribeServicesCommand: () => ({ services: [primaryOn(primary)] }),
    }) as unknown as ECSClient;
  const options = { cluster: 'prod', targets: [target], timeoutMs: 60_000 };

  test('settled: every service judged by judgeRollback', async () => {
    const { last, end } = await watchRollbacksToEnd({
      ...options,
      ecs: ecsOn('ROLLBACK_SUCCESSFUL', GOOD),
      clock: fakeClock(),
    });
    expect(end).toEqual({ kind: 'settled' });
    expect(last.get('web')?.verdict).toEqual({ state: 'succeeded' });
  });

  test('a timeout and a cancellation end it with the last look at each service', async () => {
    const timedOut = await watchRollbacksToEnd({
      ...options,
      ecs: ecsOn('ROLLBACK_IN_PROGRESS', BAD),
      clock: fakeClock(),
    });
    expect(timedOut.end).toMatchObject({ kind: 'timed-out', error: { name: 'PollTimeoutError' } });
    expect(timedOut.last.get('web')?.verdict).toEqual({ state: 'in-progress' });
    const controller = new AbortController();
    const cancelled = await watchRollbacksToEnd({
      ...options,
      ecs: ecsOn('ROLLBACK_IN_PROGRESS', BAD),
      clock: fakeClock(),
      signal: controller.signal,
      onUpdate: () => controller.abort(),
    });
    expect(cancelled.end).toMatchObject({ kind: 'cancelled', error: { name: 'PollCancelledError' } });
    expect(cancelled.last.get('web')?.snapshot.serviceDeployment?.status).toBe('ROLLBACK_IN_PROGRESS');
  });

  test('a watch that breaks off ends it as broken, with the error', async () => {
    const denied = fakeClient({
      DescribeServiceDeploymentsCommand: () => ({
        serviceDeployments: [{ serviceDeploymentArn: 'sd/3', status: 'ROLLBACK_SUCCESSFUL' }],
      }),
      DescribeServicesCommand: () => {
        throw awsError('AccessDeniedException', 'not authorized: ecs:DescribeServices');
      },
    }) as unknown as ECSClient;
    const { end } = await watchRollbacksToEnd({ ...options, ecs: denied, clock: fakeClock() });
    expect(end).toMatchObject({ kind: 'broken', error: { name: 'AccessDeniedException' } });
  });
});
