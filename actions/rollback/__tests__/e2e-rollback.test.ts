import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { ActionRun } from '@shipyard/testkit/run-action';
import {
  ACCOUNT,
  CLUSTER,
  errors,
  gitShaOf,
  REGION,
  startRig,
  taskDefinitionArn,
  type Rig,
} from '@shipyard/testkit/fixtures/rollback/rig';

// Runs the bundled dist (npm run bundle rollback) through the runner harness against aws-sim. Every service's
// history is built with real ECS calls first; the request log is cleared before each run, so the mutating calls
// asserted are the action's own.

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.close());

/** The mutating calls of the last run (every service, or one: `ecs`, `github`). */
const mutating = (service?: string) =>
  rig.sim.control.mutatingRequests({ service }).map((r) => ({ [r.operation]: r.params }));
const outputsOf = (run: ActionRun) => ({ ...run.outputs, 'rolled-back-to': JSON.parse(run.outputs['rolled-back-to']) });

/** v1 (seed) → v2 deployed → v3 broken (circuit breaker rolls back to v2) → v4 registered only → v5 deployed. */
async function historyWithSkippedRevisions(service: string): Promise<void> {
  rig.createService(service);
  expect(await rig.deploy(service, await rig.register(service, 'v2'))).toBe('SUCCESSFUL');
  expect(await rig.deploy(service, await rig.register(service, 'broken'))).toBe('ROLLBACK_SUCCESSFUL');
  await rig.register(service, 'v4');
  expect(await rig.deploy(service, await rig.register(service, 'v5'))).toBe('SUCCESSFUL');
}

describe('last-known-good after a bad deploy, with skipped revisions', () => {
  let run: ActionRun;
  beforeAll(async () => {
    await historyWithSkippedRevisions('shop');
    run = await rig.run({
      service: 'shop',
      'verify-url': `${rig.productionUrl('shop')}/version`,
      'verify-body': '$.version == v2',
      'verify-successes': '2',
      'verify-interval': '100ms',
      'github-token': 'ghs_rollbacktoken',
      environment: 'production',
    });
  });

  test('goes back to revision 2 — not 4 (revision − 1, never deployed) nor 3 (rolled back) — and succeeds', async () => {
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(mutating('ecs')).toEqual([
      { UpdateService: { cluster: CLUSTER, service: 'shop', taskDefinition: taskDefinitionArn('shop', 2) } },
    ]);
    expect(await rig.primary('shop')).toBe(taskDefinitionArn('shop', 2));
    expect(outputsOf(run)).toEqual({
      'rolled-back-to': { shop: taskDefinitionArn('shop', 2) },
      'rolled-back-from': JSON.stringify({ shop: taskDefinitionArn('shop', 5) }),
      status: 'succeeded',
    });
  });

  test('prints the plan with the reason for the target and the image change, then verifies', () => {
    expect(run.log).toContain(
      `shop: shop:5 (git ${gitShaOf('v5').slice(0, 7)}) → shop:2 (git ${gitShaOf('v2').slice(0, 7)}) — UpdateService`,
    );
    expect(run.log).toContain('target: the last revision whose deployment completed before the current one');
    expect(run.log).toContain('container "app": image: example/shop:v5 → example/shop:v2');
    expect(run.log).toMatch(/check 2: .*\/version ok/);
  });

  test('summarises one row per service and, without a deployment GitHub made for the job, records one at the target commit', () => {
    expect(run.summary).toContain('## Rollback succeeded — cluster prod');
    expect(run.summary).toMatch(
      /\| shop \| `shop:5 \(git [0-9a-f]{7}\)` \| `shop:2 \(git [0-9a-f]{7}\)` \| .* \| ✅ rolled back in/,
    );
    const github = rig.sim.control.requests({ service: 'github' });
    expect(github.map((r) => r.operation)).toEqual([
      'ListDeployments',
      'CreateDeployment',
      'CreateDeploymentStatus',
      'CreateDeploymentStatus',
    ]);
    expect(github[0].params).toMatchObject({
      sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      environment: 'production',
    });
    expect(github[1].params).toMatchObject({ ref: gitShaOf('v2'), environment: 'production' });
    expect(
      rig.sim.control
        .milestones('github-deployment')
        .slice(-2)
        .map((m) => m.state),
    ).toEqual(['in_progress', 'success']);
    expect(run.log).not.toContain('ghs_rollbacktoken');
  });
});

test('by image tag: the newest ACTIVE revision running that tag', async () => {
  await historyWithSkippedRevisions('tagged');
  const run = await rig.run({ service: 'tagged', target: 'image:v4' });
  expect(errors(run)).toEqual([]);
  expect(run.log).toContain('target: the newest ACTIVE revision running an image tagged v4');
  expect(await rig.primary('tagged')).toBe(taskDefinitionArn('tagged', 4));
  expect(outputsOf(run)['rolled-back-to']).toEqual({ tagged: taskDefinitionArn('tagged', 4) });
});

test('by revision number: that revision of the service family', async () => {
  await historyWithSkippedRevisions('numbered');
  const run = await rig.run({ service: 'numbered', target: '1' });
  expect(errors(run)).toEqual([]);
  expect(mutating()).toEqual([
    { UpdateService: { cluster: CLUSTER, service: 'numbered', taskDefinition: taskDefinitionArn('numbered', 1) } },
  ]);
  expect(await rig.primary('numbered')).toBe(taskDefinitionArn('numbered', 1));
});

test('a dry run prints and summarises the plan and makes no mutating call', async () => {
  await historyWithSkippedRevisions('dry');
  const run = await rig.run({ service: 'dry', 'dry-run': 'true' });
  expect(errors(run)).toEqual([]);
  expect(mutating()).toEqual([]);
  expect(run.log).toContain('dry: dry:5 (git');
  expect(run.log).toContain('container "app": image: example/dry:v5 → example/dry:v2');
  expect(run.summary).toContain('## Rollback plan (dry run: nothing changed) — cluster prod');
  expect(run.summary).toContain('<details><summary>dry: what changes from dry:5 to dry:2</summary>');
  expect(run.summary).toContain('| container "app" | image | `example/dry:v5` | `example/dry:v2` |');
  expect(outputsOf(run)).toMatchObject({ status: 'dry-run', 'rolled-back-to': { dry: taskDefinitionArn('dry', 2) } });
  expect(await rig.primary('dry')).toBe(taskDefinitionArn('dry', 5));
});

test('a target that crashes: the step fails with the explanation, exit code and last log lines included', async () => {
  rig.createService('crashing');
  await rig.register('crashing', 'broken');
  expect(await rig.deploy('crashing', await rig.register('crashing', 'v3'))).toBe('SUCCESSFUL');
  const run = await rig.run({ service: 'crashing', target: '2' });
  expect(run.exitCode).toBe(1);
  expect(run.log).toMatch(/Why "crashing" failed: /);
  expect(run.log).toMatch(/container "app": exit code 1/);
  expect(run.log).toContain('fatal: settings.yml not found');
  expect(run.outputs.status).toBe('failed');
});

test('a deployment in flight is stopped with ROLLBACK and ECS returns to the revision it replaced', async () => {
  rig.createService('inflight');
  expect(await rig.deploy('inflight', await rig.register('inflight', 'v2'))).toBe('SUCCESSFUL');
  expect(await rig.deploy('inflight', await rig.register('inflight', 'slow'), { settle: false })).toBe('IN_PROGRESS');
  const run = await rig.run({ service: 'inflight' });
  expect(errors(run)).toEqual([]);
  expect(run.log).toContain('inflight: inflight:3 (git');
  expect(run.log).toContain('StopServiceDeployment (ROLLBACK) of the deployment in flight');
  const calls = rig.sim.control.mutatingRequests();
  expect(calls.map((r) => r.operation)).toEqual(['StopServiceDeployment']);
  expect(calls[0].params).toMatchObject({ stopType: 'ROLLBACK' });
  expect(await rig.primary('inflight')).toBe(taskDefinitionArn('inflight', 2));
  expect(outputsOf(run)).toMatchObject({
    status: 'succeeded',
    'rolled-back-to': { inflight: taskDefinitionArn('inflight', 2) },
  });
});

test('a blue/green service with a PAUSE hook: the way back answers its own hook with CONTINUE and ends on the target', async () => {
  const elb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;
  const blueGreen = { strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 0 };
  rig.createService('paused', {
    loadBalancers: [
      {
        targetGroupArn: `${elb}:targetgroup/paused-blue/0123456789abcdef`,
        containerName: 'app',
        containerPort: 8080,
        advancedConfiguration: {
          alternateTargetGroupArn: `${elb}:targetgroup/paused-green/fedcba9876543210`,
          productionListenerRule: `${elb}:listener-rule/app/paused/1/2/3`,
          testListenerRule: `${elb}:listener-rule/app/paused/1/2/4`,
          roleArn: `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructure`,
        },
      },
    ],
    deploymentConfiguration: blueGreen,
  });
  expect(await rig.deploy('paused', await rig.register('paused', 'v2'))).toBe('SUCCESSFUL');
  // v3 brings a PAUSE hook (as ecs-deploy's add-test-pause-hook does); its deployment is answered here, by hand.
  const pause = { targetType: 'PAUSE' as const, lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT' as const] };
  await rig.ecs.send(
    new UpdateServiceCommand({
      cluster: CLUSTER,
      service: 'paused',
      taskDefinition: await rig.register('paused', 'v3'),
      deploymentConfiguration: {
        ...blueGreen,
        lifecycleHooks: [{ ...pause, timeoutConfiguration: { timeoutInMinutes: 60 } }],
      },
    }),
  );
  const described = await rig.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['paused'] }));
  const serviceDeploymentArn = described.services?.[0]?.currentServiceDeployment;
  const look = async () => {
    rig.sim.control.advance(5_000);
    const { serviceDeployments } = await rig.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn!] }),
    );
    return serviceDeployments![0];
  };
  let hookId: string | undefined;
  while (!hookId) hookId = (await look()).lifecycleHookDetails?.find((h) => h.status === 'AWAITING_ACTION')?.hookId;
  await rig.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action: 'CONTINUE' }));
  let status: string | undefined = 'IN_PROGRESS';
  while (status === 'IN_PROGRESS') status = (await look()).status;
  expect(status).toBe('SUCCESSFUL');

  const run = await rig.run({ service: 'paused', target: '2' });
  expect(errors(run)).toEqual([]);
  expect(run.log).toMatch(/paused: the way back waits at a PAUSE hook \(POST_TEST_TRAFFIC_SHIFT\): CONTINUE/);
  expect(rig.sim.control.mutatingRequests().map((r) => r.operation)).toEqual([
    'UpdateService',
    'ContinueServiceDeployment',
  ]);
  expect(await rig.primary('paused')).toBe(taskDefinitionArn('paused', 2));
});

test('several services at once (Aiponge-like): each to its own last known-good, in parallel', async () => {
  const services = ['api-gateway', 'user-service', 'music-service'];
  for (const service of services) {
    rig.createService(service);
    expect(await rig.deploy(service, await rig.register(service, 'release-1'))).toBe('SUCCESSFUL');
  }
  // user-service registered revisions it never deployed; music-service was redeployed unchanged after release 2.
  await rig.register('user-service', 'experiment-a');
  await rig.register('user-service', 'experiment-b');
  for (const service of services) {
    expect(await rig.deploy(service, await rig.register(service, 'release-2'))).toBe('SUCCESSFUL');
  }
  expect(await rig.deploy('music-service', taskDefinitionArn('music-service', 3), { force: true })).toBe('SUCCESSFUL');

  const run = await rig.run({ service: services.join('\n') });
  expect(errors(run)).toEqual([]);
  const expected = { 'api-gateway': 2, 'user-service': 2, 'music-service': 2 };
  for (const [service, revision] of Object.entries(expected)) {
    expect(await rig.primary(service)).toBe(taskDefinitionArn(service, revision));
    expect(run.summary).toMatch(
      new RegExp(`\\| ${service} \\| \`${service}:\\d \\(git [0-9a-f]{7}\\)\` \\| \`${service}:2 .*✅ rolled back`),
    );
  }
  const updates = rig.sim.control.mutatingRequests({ operation: 'UpdateService' });
  expect(updates.map((r) => (r.params as { service: string }).service).sort()).toEqual([...services].sort());
  // All three were started before any was waited for: one wave, then one watch loop for all of them.
  const firstWatch = rig.sim.control
    .requests({ operation: 'DescribeServiceDeployments' })
    .find((r) => r.seq > updates[0].seq);
  expect(updates.every((r) => r.seq < firstWatch!.seq)).toBe(true);
  expect(outputsOf(run)['rolled-back-to']).toEqual(
    Object.fromEntries(
      Object.entries(expected).map(([service, revision]) => [service, taskDefinitionArn(service, revision)]),
    ),
  );
});

describe('targets that cannot be resolved: a clear error and no mutating call', () => {
  beforeAll(async () => {
    await historyWithSkippedRevisions('unresolved');
    await historyWithSkippedRevisions('resolvable');
  });

  test.each([
    [
      { service: 'unresolved', target: 'image:v9' },
      'rollback: Service "unresolved": none of the 100 newest ACTIVE revisions of family "unresolved" runs an image tagged "v9". Nothing was changed.',
    ],
    [
      { service: 'unresolved', target: '99' },
      'rollback: Service "unresolved": task definition unresolved:99 does not exist (revision 99, as asked). Nothing was changed.',
    ],
    [
      { service: 'unresolved', target: 'resolvable:2' },
      'rollback: Service "unresolved": target "resolvable:2" is a revision of family "resolvable", but the service runs family "unresolved"; a rollback stays within the service\'s family. Nothing was changed.',
    ],
    [
      { service: 'resolvable\nmissing-service', target: 'last-known-good' },
      'rollback: Service "missing-service" was not found in cluster "prod". Nothing was changed.',
    ],
    [
      { service: 'resolvable\nunresolved', target: 'image:v2-hotfix' },
      'rollback: Target "image:v2-hotfix" cannot be resolved for 2 of 2 services; nothing was changed.',
    ],
    [
      { service: 'resolvable', target: 'yesterday' },
      'rollback: Input "target" must be last-known-good, previous, a revision number (42), a task definition (family:42 or its ARN) or an image tag (image:v1.2.3), got "yesterday".',
    ],
  ])('%j', async (inputs, message) => {
    const run = await rig.run(inputs);
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([message]);
    expect(mutating()).toEqual([]);
    expect(run.outputs.status).toBe('failed');
  });
});

test('a verification failure after the rollback fails the step and explains it', async () => {
  rig.createService('checked');
  expect(await rig.deploy('checked', await rig.register('checked', 'err500'))).toBe('SUCCESSFUL');
  expect(await rig.deploy('checked', await rig.register('checked', 'v3'))).toBe('SUCCESSFUL');
  const run = await rig.run({
    service: 'checked',
    'verify-url': `${rig.productionUrl('checked')}/health`,
    'verify-successes': '2',
    'verify-interval': '100ms',
    'github-token': 'ghs_rollbacktoken',
    environment: 'staging',
  });
  expect(run.exitCode).toBe(1);
  expect(await rig.primary('checked')).toBe(taskDefinitionArn('checked', 2));
  expect(errors(run)).toEqual([
    `rollback: verification failed after the rollback: 2 failed checks in a row, last: ${rig.productionUrl('checked')}/health: HTTP 500, expected 200`,
  ]);
  expect(run.log).toContain('Why "checked" failed: verification failed: 2 failed checks in a row');
  expect(run.log).toContain(`Revision: ${taskDefinitionArn('checked', 2)}`);
  expect(run.summary).toContain('**Verification failed**');
  expect(run.summary).toContain('<details><summary>Why checked failed</summary>');
  expect(run.outputs.status).toBe('failed');
  expect(rig.sim.control.milestones('github-deployment').at(-1)?.state).toBe('failure');
});

test('behind a load balancer with a long deregistration delay: the delay is read beside the wait, once per group; the way back completes', async () => {
  const elb = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}`;
  const targetGroupArn = `${elb}:targetgroup/drained/0123456789abcdef`;
  rig.createService('drained', { loadBalancers: [{ targetGroupArn, containerName: 'app', containerPort: 8080 }] }, 600);
  expect(await rig.deploy('drained', await rig.register('drained', 'v2'))).toBe('SUCCESSFUL');
  const run = await rig.run({ service: 'drained', target: '1' });
  expect(errors(run)).toEqual([]);
  expect(run.outputs.status).toBe('succeeded');
  expect(await rig.primary('drained')).toBe(taskDefinitionArn('drained', 1));
  const requests = rig.sim.control.requests();
  const update = requests.find((r) => r.operation === 'UpdateService')!;
  const reads = requests.filter((r) => r.service === 'elbv2');
  expect(reads.map((r) => [r.operation, r.params])).toEqual([
    ['DescribeTargetGroupAttributes', { TargetGroupArn: targetGroupArn }],
  ]);
  expect(reads[0].seq).toBeGreaterThan(update.seq);
});
