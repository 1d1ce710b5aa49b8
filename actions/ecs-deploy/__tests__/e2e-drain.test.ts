import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import {
  blueGreenLoadBalancers,
  CLUSTER,
  deployAction,
  errorsOf,
  startWorld,
  targetGroupsSeed,
  type ServiceSpec,
  type World,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// A deployment whose old tasks drain for a long deregistration delay: the action reads the target groups' delay
// beside the watch, looks only sparsely while the drain cannot end, and learns the outcome. Without the optional
// permission it goes on as before (dense looks, then the sustained rate), saying so once. The sim runs only a few
// times faster than real time: the action's cadence is in real seconds, and it must see the drain begin.

const PERMISSION = 'elasticloadbalancing:DescribeTargetGroupAttributes';

let world: World;
afterEach(() => world?.close());

interface Case {
  spec: ServiceSpec;
  timeScale: number;
  /** Simulated; 12–15 s of real time at the case's scale. */
  drainSeconds: number;
}

const blueGreen: Case = {
  spec: {
    name: 'web',
    extra: {
      loadBalancers: blueGreenLoadBalancers('web'),
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
    },
  },
  timeScale: 20,
  drainSeconds: 300,
};
const rolling: Case = {
  spec: {
    name: 'web',
    extra: { loadBalancers: [{ ...blueGreenLoadBalancers('web')[0], advancedConfiguration: undefined }] },
  },
  timeScale: 5,
  drainSeconds: 60,
};

/** When (simulated) the old revision's tasks were asked to stop: their drain began. */
async function drainStartedAt(): Promise<number> {
  const { taskArns } = await world.ecs.send(new ListTasksCommand({ cluster: CLUSTER, desiredStatus: 'STOPPED' }));
  const { tasks } = await world.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns }));
  const old = tasks!.filter((t) => t.taskDefinitionArn?.endsWith(':1'));
  expect(old).toHaveLength(2);
  return Math.max(...old.map((t) => t.stoppingAt!.getTime()));
}

/** The action's looks at its deployment while the old tasks drained (before the drain could end). */
async function looksWhileDraining(drainSeconds: number): Promise<number> {
  const started = await drainStartedAt();
  return world.sim.control
    .requests({ service: 'ecs', operation: 'DescribeServiceDeployments' })
    .filter((r) => r.simTime > started && r.simTime < started + drainSeconds * 1000).length;
}

async function deploy({ spec, timeScale, drainSeconds }: Case, prepare?: () => void) {
  world = await startWorld([spec], { timeScale, drainSeconds });
  prepare?.();
  return deployAction(world, { service: 'web', images: 'app=example/web:v2' });
}

describe.each([
  ['blue/green', blueGreen],
  ['rolling', rolling],
])('%s behind a load balancer with a long deregistration delay', (_name, drained) => {
  test('the delay is read once per target group after UpdateService; few looks while the old tasks drain', async () => {
    const run = await deploy(drained);
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    const requests = world.sim.control.requests();
    const update = requests.find((r) => r.operation === 'UpdateService')!;
    const reads = requests.filter((r) => r.service === 'elbv2');
    expect(reads.map((r) => r.operation)).toEqual(reads.map(() => 'DescribeTargetGroupAttributes'));
    expect(reads.map((r) => (r.params as { TargetGroupArn: string }).TargetGroupArn).sort()).toEqual(
      targetGroupsSeed([drained.spec])
        .targetGroups.map((g) => g.targetGroupArn)
        .sort(),
    );
    expect(reads.every((r) => r.seq > update.seq)).toBe(true);
    // The look that saw the drain begin, and at most one sparse look (12 s apart) before it could end.
    expect(await looksWhileDraining(drained.drainSeconds)).toBeLessThanOrEqual(2);
    expect(run.log).not.toContain(PERMISSION);
  });
});

test('without the permission the deployment is watched as before (dense looks while draining), one line says so', async () => {
  const run = await deploy(blueGreen, () =>
    world.sim.control.addFault({
      service: 'elbv2',
      error: { code: 'AccessDenied', message: 'not authorized to perform this action', status: 403, times: 10 },
    }),
  );
  expect(errorsOf(run)).toEqual([]);
  expect(run.outputs.status).toBe('succeeded');
  expect(run.annotations.filter((a) => a.message.includes(PERMISSION))).toEqual([]);
  expect(run.log.split('\n').filter((line) => line.includes(`${PERMISSION} is not allowed`))).toHaveLength(1);
  // Without the delay the cadence stays dense through the drain: more looks than the bound (≤ 2) the delay allows.
  expect(await looksWhileDraining(blueGreen.drainSeconds)).toBeGreaterThan(2);
});
