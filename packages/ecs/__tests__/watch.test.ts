import type { ECSClient, ServiceDeployment } from '@aws-sdk/client-ecs';
import { ServiceEventStream, type DeploymentTarget } from '../src/deployments';
import { progressLine, watchDeployments } from '../src/watch';
import { CADENCE } from '../src/cadence';
import { fakeClock, PollTimeoutError, type FakeClock } from '@shipyard/platform/poll';
import { fakeClient } from '@shipyard/testkit/fake-client';

const NEW = 'td/web:7';
const targets: DeploymentTarget[] = [
  { service: 'web', taskDefinitionArn: NEW, serviceDeploymentArn: 'sd/web' },
  { service: 'api', taskDefinitionArn: NEW, serviceDeploymentArn: 'sd/api' },
];

/** Each DescribeServiceDeployments call moves one step along `timeline` (per service; the last step repeats). */
function ecsFollowing(timelines: Record<string, Partial<ServiceDeployment>[]>) {
  const step: Record<string, number> = {};
  return fakeClient({
    DescribeServiceDeploymentsCommand: (input: { serviceDeploymentArns: string[] }) => ({
      serviceDeployments: input.serviceDeploymentArns.map((arn) => {
        const name = arn.split('/')[1];
        const timeline = timelines[name];
        const index = Math.min(step[name] ?? 0, timeline.length - 1);
        step[name] = index + 1;
        return { serviceDeploymentArn: arn, ...timeline[index] };
      }),
    }),
    DescribeServicesCommand: (input: { services: string[] }) => ({
      services: input.services.map((name) => ({
        serviceName: name,
        status: 'ACTIVE',
        taskDefinition: NEW,
        deployments: [{ status: 'PRIMARY', taskDefinition: NEW }],
        events: [
          { id: `${name}-2`, createdAt: new Date(2000), message: `(service ${name}) has reached a steady state.` },
          { id: `${name}-1`, createdAt: new Date(1000), message: `(service ${name}) has started 2 tasks.` },
        ],
      })),
    }),
  });
}

/** Watches the web service alone until it settles, on `clock`. */
function watchWeb(ecs: { send: unknown }, clock: FakeClock) {
  return watchDeployments({
    ecs: ecs as unknown as ECSClient,
    cluster: 'prod',
    targets: [targets[0]],
    timeoutMs: 600_000,
    clock,
  });
}

describe('watchDeployments', () => {
  test('watches every service in one loop until each settles, streaming only new events', async () => {
    const ecs = ecsFollowing({
      web: [
        { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' },
        { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
        { status: 'SUCCESSFUL' },
      ],
      api: [{ status: 'IN_PROGRESS' }, { status: 'ROLLBACK_IN_PROGRESS', statusReason: 'circuit breaker' }],
    });
    const events: string[] = [];
    const updates: string[] = [];
    const result = await watchDeployments({
      ecs: ecs as unknown as ECSClient,
      cluster: 'prod',
      targets,
      timeoutMs: 60_000,
      clock: fakeClock(),
      eventStreams: new Map([['web', new ServiceEventStream([{ id: 'web-1' }])]]),
      onEvent: (service, event) => events.push(`${service}: ${event.message}`),
      onUpdate: (target, watched) => updates.push(`${target.service} ${watched.verdict.state}`),
    });
    expect(result.get('web')?.verdict).toEqual({ state: 'succeeded' });
    expect(result.get('api')?.verdict).toEqual({
      state: 'failed',
      reason: 'service deployment ROLLBACK_IN_PROGRESS: circuit breaker',
      ecsRollback: 'in-progress',
    });
    expect(events).toEqual([
      'web: (service web) has reached a steady state.',
      'api: (service api) has started 2 tasks.',
      'api: (service api) has reached a steady state.',
    ]);
    expect(updates).toEqual(['web in-progress', 'api in-progress', 'web in-progress', 'api failed', 'web succeeded']);
    // Settled services are no longer described.
    const describedArns = ecs
      .calls('DescribeServiceDeploymentsCommand')
      .map((c) => (c.input as { serviceDeploymentArns: string[] }).serviceDeploymentArns);
    expect(describedArns).toEqual([['sd/web', 'sd/api'], ['sd/web', 'sd/api'], ['sd/web']]);
  });

  test('one DescribeServiceDeployments per look; the services only when a status changes (here: at the end)', async () => {
    const waiting = Array.from({ length: 7 }, () => ({
      status: 'IN_PROGRESS' as const,
      lifecycleStage: 'SCALE_UP' as const,
    }));
    const ecs = ecsFollowing({ web: [...waiting, { status: 'SUCCESSFUL' }] });
    const clock = fakeClock();
    await watchWeb(ecs, clock);
    expect(ecs.calls('DescribeServiceDeploymentsCommand')).toHaveLength(8);
    expect(ecs.calls('DescribeServicesCommand')).toHaveLength(1);
    // A first look after a second, then quiet looks (tasks are starting), never more than the budget allows.
    expect(clock.sleeps[0]).toBe(CADENCE.firstLookMs);
    expect(clock.sleeps.slice(1).every((ms) => ms >= CADENCE.quietMs)).toBe(true);
  });

  test('while counts move, the services are read for their events when the budget has room, at most every 20 s', async () => {
    const clock = fakeClock();
    const servicesReadAt: number[] = [];
    const moving = Array.from({ length: 30 }, (_, i) => ({
      status: 'IN_PROGRESS' as const,
      targetServiceRevision: { requestedTaskCount: 40, runningTaskCount: i, pendingTaskCount: 40 - i },
      sourceServiceRevisions: [{ runningTaskCount: 20, pendingTaskCount: 0 }],
    }));
    const timeline = ecsFollowing({ web: [...moving, { status: 'SUCCESSFUL' }] });
    const ecs = {
      send: (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'DescribeServicesCommand') servicesReadAt.push(clock.now());
        return timeline.send(command as never);
      },
    };
    await watchWeb(ecs, clock);
    const gaps = servicesReadAt.slice(1).map((at, i) => at - servicesReadAt[i]);
    // Quiet looks every 6 s leave about one read a minute: read for events in between, and at the end.
    expect(servicesReadAt.length).toBeGreaterThanOrEqual(3);
    expect(gaps.slice(0, -1).every((gap) => gap >= 20_000)).toBe(true);
  });

  test('looks densely once only the new revision runs, and sparsely while it bakes', async () => {
    const revisions = (running: number, old: number) => ({
      targetServiceRevision: { requestedTaskCount: 2, runningTaskCount: running, pendingTaskCount: 0 },
      sourceServiceRevisions: [{ runningTaskCount: old, pendingTaskCount: 0 }],
    });
    const baking = {
      status: 'IN_PROGRESS' as const,
      lifecycleStage: 'BAKE_TIME' as const,
      deploymentConfiguration: { bakeTimeInMinutes: 1 },
      ...revisions(2, 2),
    };
    const ecs = ecsFollowing({
      web: [
        { status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP', ...revisions(0, 2) },
        ...Array.from({ length: 6 }, () => baking),
        { status: 'IN_PROGRESS', lifecycleStage: 'CLEAN_UP', ...revisions(2, 2) },
        { status: 'IN_PROGRESS', lifecycleStage: 'CLEAN_UP', ...revisions(2, 0) },
        { status: 'SUCCESSFUL', ...revisions(2, 0) },
      ],
    });
    const clock = fakeClock();
    await watchWeb(ecs, clock);
    // The first look after 1 s; scale-up is quiet (6 s); the bake, first seen at 7 s, began after 1 s and ends at
    // 61 s at the earliest: long waits until then; then one step from the end (3 s) until the old revision is
    // gone, and dense looks from there.
    expect(clock.sleeps).toEqual([1_000, 6_000, 12_000, 12_000, 12_000, 12_000, 6_000, 3_000, 3_000, 1_000]);
  });

  test('a timeout carries the last round for the explanation', async () => {
    const ecs = ecsFollowing({ web: [{ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' }] });
    const error = await watchDeployments({
      ecs: ecs as unknown as ECSClient,
      cluster: 'prod',
      targets: [targets[0]],
      timeoutMs: 10_000,
      clock: fakeClock(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    const last = (error as PollTimeoutError<Map<string, { verdict: unknown }>>).lastState;
    expect(last.get('web')?.verdict).toEqual({ state: 'in-progress' });
  });

  test('a service gone from the cluster fails its deployment', async () => {
    const ecs = fakeClient({
      DescribeServicesCommand: () => ({
        services: [],
        failures: [{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', reason: 'MISSING' }],
      }),
    });
    const result = await watchDeployments({
      ecs: ecs as unknown as ECSClient,
      cluster: 'prod',
      targets: [{ service: 'web', taskDefinitionArn: NEW }],
      timeoutMs: 10_000,
      clock: fakeClock(),
    });
    expect(result.get('web')?.verdict).toEqual({
      state: 'failed',
      reason: 'the service is MISSING',
      ecsRollback: 'none',
    });
  });
});

describe('a service whose answers predate the deployment (eventually consistent)', () => {
  const before = { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: 'td/web:6', rolloutState: 'COMPLETED' };
  const ours = { id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: NEW, rolloutState: 'COMPLETED' };
  const target: DeploymentTarget = {
    service: 'web',
    taskDefinitionArn: NEW,
    deploymentId: 'ecs-svc/2',
    priorDeploymentIds: ['ecs-svc/1'],
  };
  /** DescribeServices shows the service as before for `staleRounds` calls, then with our deployment. */
  const ecsShowingLate = (staleRounds: number) => {
    let round = 0;
    return fakeClient({
      DescribeServicesCommand: () => ({
        services: [{ serviceName: 'web', status: 'ACTIVE', deployments: [round++ < staleRounds ? before : ours] }],
      }),
    });
  };
  const watch = (ecs: ReturnType<typeof fakeClient>) =>
    watchDeployments({
      ecs: ecs as unknown as ECSClient,
      cluster: 'prod',
      targets: [target],
      timeoutMs: 600_000,
      clock: fakeClock(),
    });

  test('is watched on until the deployment shows, then judged', async () => {
    const result = await watch(ecsShowingLate(3));
    expect(result.get('web')?.verdict).toEqual({ state: 'succeeded' });
  });

  test('fails, saying so, when that outlasts the patience for a new resource', async () => {
    const result = await watch(ecsShowingLate(Infinity));
    expect(result.get('web')?.verdict).toEqual({
      state: 'failed',
      // How long exactly depends on when the looks fall, which is the cadence's call.
      reason: expect.stringMatching(
        /^DescribeServices still shows web as it was before the update, after \d+s of checks$/,
      ),
      ecsRollback: 'none',
    });
  });
});

describe('progressLine', () => {
  test.each([
    [
      {
        serviceDeployment: {
          status: 'IN_PROGRESS',
          lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
          targetServiceRevision: {
            runningTaskCount: 2,
            requestedTaskCount: 2,
            requestedProductionTrafficWeight: 0,
            requestedTestTrafficWeight: 100,
          },
          lifecycleHookDetails: [{ status: 'AWAITING_ACTION' }],
        },
      },
      'IN_PROGRESS · POST_TEST_TRAFFIC_SHIFT · new revision 2/2 running · production traffic 0% · test traffic 100% · 1 hook awaiting action',
    ],
    [
      {
        service: {
          deployments: [
            { status: 'PRIMARY', rolloutState: 'IN_PROGRESS', runningCount: 1, desiredCount: 2, failedTasks: 1 },
            { status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 2, desiredCount: 2 },
          ],
        },
      },
      'PRIMARY IN_PROGRESS 1/2 running, 1 failed; ACTIVE COMPLETED 2/2 running',
    ],
  ])('%#', (snapshot, line) => {
    expect(progressLine(snapshot as never)).toBe(line);
  });
});

describe('without the service-deployment read permissions', () => {
  test('a denied DescribeServiceDeployments degrades to DescribeServices: one warning, no second ask', async () => {
    const ecs = fakeClient({
      DescribeServiceDeploymentsCommand: () => {
        throw Object.assign(new Error('not authorized to perform: ecs:DescribeServiceDeployments'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        });
      },
      DescribeServicesCommand: (input: { services: string[] }) => ({
        services: input.services.map((name) => ({
          serviceName: name,
          status: 'ACTIVE',
          deployments: [{ id: `ecs-svc/${name}`, status: 'PRIMARY', taskDefinition: NEW, rolloutState: 'COMPLETED' }],
        })),
      }),
    });
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
      written.push(String(text));
      return true;
    });
    try {
      const result = await watchDeployments({
        ecs: ecs as unknown as ECSClient,
        cluster: 'prod',
        targets,
        timeoutMs: 60_000,
        clock: fakeClock(),
      });
      expect([...result.values()].map((r) => r.verdict.state)).toEqual(['succeeded', 'succeeded']);
    } finally {
      write.mockRestore();
    }
    expect(ecs.calls('DescribeServiceDeploymentsCommand')).toHaveLength(1);
    const warnings = written.filter((line) => line.startsWith('::warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ecs:DescribeServiceDeployments is denied');
    expect(warnings[0]).toContain('ecs:ListServiceDeployments');
  });

  test('a passing fault while watching is tried again, not a failed deploy', async () => {
    let calls = 0;
    const healthy = ecsFollowing({
      web: [{ status: 'IN_PROGRESS' }, { status: 'SUCCESSFUL' }],
      api: [{ status: 'SUCCESSFUL' }],
    });
    const ecs = {
      send: async (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'DescribeServiceDeploymentsCommand' && calls++ === 1)
          throw Object.assign(new Error('Internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
        return healthy.send(command as never);
      },
    };
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const result = await watchDeployments({
        ecs: ecs as unknown as ECSClient,
        cluster: 'prod',
        targets,
        timeoutMs: 60_000,
        clock: fakeClock(),
      });
      expect(result.get('web')?.verdict.state).toBe('succeeded');
    } finally {
      write.mockRestore();
    }
    expect(calls).toBeGreaterThanOrEqual(3);
  });
});
