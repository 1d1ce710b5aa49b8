import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupAttributesCommand,
  ElasticLoadBalancingV2Client,
  ElasticLoadBalancingV2ServiceException,
  ModifyTargetGroupAttributesCommand,
  TargetGroupNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ALTERNATE_TARGET_GROUP,
  advanceUntil,
  blueGreenLoadBalancers,
  DRAIN_SECONDS,
  REGION,
  startWithClients,
  TARGET_GROUP,
  webSeed,
  type SimClients,
} from './ecs-helpers';

let clients: SimClients;
let elb: ElasticLoadBalancingV2Client;

afterEach(async () => {
  elb.destroy();
  await clients.close();
});

async function start(seed: Record<string, unknown>, region = REGION): Promise<void> {
  clients = await startWithClients({ manual: true, seed });
  elb = new ElasticLoadBalancingV2Client({
    endpoint: clients.sim.endpoint,
    region,
    credentials: { accessKeyId: 'AKIASIMULATED0000000', secretAccessKey: 'aws-sim-secret-access-key' },
    maxAttempts: 1,
  });
}

async function delayOf(arn: string): Promise<string | undefined> {
  const { Attributes } = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
  return Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
}

/** A seed whose service names both groups of a blue/green load balancer, without seeding their attributes. */
const unseededGroups = () => ({ ...webSeed({ loadBalancers: blueGreenLoadBalancers }), elbv2: undefined });

describe('DescribeTargetGroupAttributes', () => {
  test("a group a service names and nobody set has AWS's defaults: a 300 s deregistration delay", async () => {
    await start(unseededGroups());
    expect(await delayOf(TARGET_GROUP)).toBe('300');
    expect(await delayOf(ALTERNATE_TARGET_GROUP)).toBe('300');
    const { Attributes } = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: TARGET_GROUP }));
    expect(Attributes).toContainEqual({ Key: 'stickiness.enabled', Value: 'false' });
  });

  test('a seeded group has the seeded delay', async () => {
    await start(webSeed({ loadBalancers: blueGreenLoadBalancers }));
    expect(await delayOf(TARGET_GROUP)).toBe(String(DRAIN_SECONDS));
  });

  test.each([
    ['an unknown group', `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/nobody/0123456789abcdef`],
    ['a group of another region', TARGET_GROUP.replace(REGION, 'eu-west-1')],
  ])('%s is TargetGroupNotFound', async (_name, arn) => {
    await start(unseededGroups());
    const error = await elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })).catch((e) => e);
    expect(error).toBeInstanceOf(TargetGroupNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  test('a group in another region is found by a client of that region', async () => {
    const arn = TARGET_GROUP.replace(REGION, 'eu-west-1');
    await start({ elbv2: { targetGroups: [{ targetGroupArn: arn, deregistrationDelaySeconds: 45 }] } }, 'eu-west-1');
    expect(await delayOf(arn)).toBe('45');
  });

  test('a malformed ARN is a ValidationError', async () => {
    await start(unseededGroups());
    const error = await elb
      .send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: 'web-blue' }))
      .catch((e: ElasticLoadBalancingV2ServiceException) => e);
    expect(error).toMatchObject({ name: 'ValidationError' });
  });
});

describe('ModifyTargetGroupAttributes', () => {
  test('sets the delay and answers every attribute', async () => {
    await start(unseededGroups());
    const { Attributes } = await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: TARGET_GROUP,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '120' }],
      }),
    );
    expect(Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '120' });
    expect(Attributes!.length).toBeGreaterThan(1);
    expect(await delayOf(TARGET_GROUP)).toBe('120');
    expect(await delayOf(ALTERNATE_TARGET_GROUP)).toBe('300');
  });

  test.each(['3601', '-1', 'soon'])('refuses a delay of %s', async (value) => {
    await start(unseededGroups());
    const error = await elb
      .send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: TARGET_GROUP,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: value }],
        }),
      )
      .catch((e: ElasticLoadBalancingV2ServiceException) => e);
    expect(error).toMatchObject({ name: 'ValidationError' });
    expect(await delayOf(TARGET_GROUP)).toBe('300');
  });
});

describe('draining', () => {
  /** How long each of the old revision's tasks took from the stop request to STOPPED, after a new deployment. */
  async function stopDurations(): Promise<number[]> {
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'web', forceNewDeployment: true }));
    const stopped = async () => {
      const { taskArns } = await clients.ecs.send(new ListTasksCommand({ cluster: 'prod', desiredStatus: 'STOPPED' }));
      if (!taskArns?.length) return [];
      const { tasks } = await clients.ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: taskArns }));
      return tasks!.filter((t) => t.lastStatus === 'STOPPED');
    };
    await advanceUntil(clients, async () => (await stopped()).length === 2);
    return (await stopped()).map((t) => t.stoppedAt!.getTime() - t.stoppingAt!.getTime());
  }

  const rollingBehind = {
    loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'app', containerPort: 8080 }],
  };

  test("a task leaving a target group drains for the group's deregistration delay, then stops", async () => {
    await start(webSeed(rollingBehind));
    await elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: TARGET_GROUP,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '120' }],
      }),
    );
    // The drain, then SIGTERM and the stop grace (5 s), to the step of the manual clock.
    for (const ms of await stopDurations()) {
      expect(ms).toBeGreaterThanOrEqual(125_000);
      expect(ms).toBeLessThan(127_000);
    }
  });

  test('a group with a zero delay lets its tasks go at once', async () => {
    await start({
      ...webSeed(rollingBehind),
      elbv2: { targetGroups: [{ targetGroupArn: TARGET_GROUP, deregistrationDelaySeconds: 0 }] },
    });
    for (const ms of await stopDurations()) expect(ms).toBeLessThan(7_000);
  });
});
