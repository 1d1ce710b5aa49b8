import {
  DescribeServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
// aws-sim's own test set-up: a sim with SDK clients and its blue/green service `web`.
import {
  blueGreenLoadBalancers,
  fargateTaskDefinition,
  startWithClients,
  webSeed,
  type SimClients,
} from '../../aws-sim/__tests__/ecs-helpers';
import { gateBakes, type BakeGate } from '../src/bake-gate';
import { HeldClock } from '../src/sim-time';

describe('HeldClock', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) }));
  afterEach(() => jest.useRealTimers());
  const START = Date.UTC(2026, 0, 1);

  test('stands still until started, then runs timeScale times faster than real time', () => {
    const clock = new HeldClock(60, START);
    jest.advanceTimersByTime(5_000);
    expect(clock.now()).toBe(START);
    clock.start();
    jest.advanceTimersByTime(1_000);
    expect(clock.now()).toBe(START + 60_000);
  });

  test('held again, it stands where it was and goes on from there', () => {
    const clock = new HeldClock(10, START);
    clock.start();
    jest.advanceTimersByTime(1_000);
    clock.hold();
    jest.advanceTimersByTime(60_000);
    expect(clock.now()).toBe(START + 10_000);
    clock.start();
    jest.advanceTimersByTime(1_000);
    expect(clock.now()).toBe(START + 20_000);
  });

  test('with a step limit it moves at most that far between two marks, however long the wait', () => {
    const clock = new HeldClock(1_000, START);
    clock.start();
    clock.limitSteps(30_000);
    jest.advanceTimersByTime(60_000);
    expect(clock.now()).toBe(START + 30_000);
    clock.mark();
    jest.advanceTimersByTime(10);
    expect(clock.now()).toBe(START + 40_000);
    clock.limitSteps(undefined);
    jest.advanceTimersByTime(60_000);
    expect(clock.now()).toBe(START + 40_000 + 60_000_000);
  });

  test('while held, the instant it stands at is the present; earlier ones are in the real past', () => {
    const clock = new HeldClock(10, START);
    clock.start();
    jest.advanceTimersByTime(1_000);
    clock.hold();
    jest.advanceTimersByTime(5_000);
    expect(clock.toRealTime(clock.now())).toBe(Date.now());
    expect(clock.toRealTime(START)).toBe(START);
  });
});

describe('gateBakes', () => {
  // A clock so fast that, ungated, a 10-minute bake passes between any two requests.
  const clock = new HeldClock(10_000_000);
  const bakes: BakeGate = gateBakes(clock);
  let clients: SimClients;

  beforeAll(async () => {
    clients = await startWithClients({
      clock,
      scenarios: [{ image: '*', startSeconds: 5, healthCheckSeconds: 5 }],
      seed: webSeed({
        loadBalancers: blueGreenLoadBalancers,
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 },
      }),
    });
    bakes.watch(clients.sim);
  });
  afterAll(() => clients.close());

  /** Starts a deployment of `image` and returns what each of the following looks saw, until it ended. */
  async function deployAndLook(image: string, onLook: (stage: string, arn: string) => void): Promise<string[]> {
    const { ecs } = clients;
    const registered = await ecs.send(new RegisterTaskDefinitionCommand(fargateTaskDefinition('web', image)));
    const { service } = await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod',
        service: 'web',
        taskDefinition: registered.taskDefinition!.taskDefinitionArn,
      }),
    );
    const arn = service!.currentServiceDeployment!;
    const seen: string[] = [];
    for (let look = 0; look < 200; look++) {
      const { serviceDeployments } = await ecs.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }),
      );
      const { status, lifecycleStage } = serviceDeployments![0];
      const stage = status === 'IN_PROGRESS' ? lifecycleStage! : status!;
      seen.push(stage);
      if (status !== 'IN_PROGRESS' && status !== 'PENDING') break;
      onLook(stage, arn);
    }
    return seen;
  }

  test('a verifying deploy step: the bake is seen, and stands still until the production check passed', async () => {
    bakes.stepStarting('ecs-deploy', { 'verify-url': 'https://example.com/health' });
    let looksWhileBaking = 0;
    const seen = await deployAndLook('example/web:v2', (stage) => {
      if (stage === 'BAKE_TIME' && ++looksWhileBaking === 3) bakes.line('web: the production check passed');
    });
    bakes.stepEnded();
    expect(seen.filter((stage) => stage === 'BAKE_TIME')).toHaveLength(3);
    expect(seen.at(-1)).toBe('SUCCESSFUL');
  });

  test('a failed check: its StopServiceDeployment comes while the bake still stands, and rolls back', async () => {
    bakes.stepStarting('ecs-deploy', { 'verify-url': 'https://example.com/health' });
    let stopped: Promise<unknown> | undefined;
    const seen = await deployAndLook('example/web:v4', (stage, serviceDeploymentArn) => {
      if (stage === 'BAKE_TIME' && !stopped)
        stopped = clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' }));
    });
    await stopped;
    bakes.stepEnded();
    expect(seen).toContain('BAKE_TIME');
    expect(seen.at(-1)).toBe('ROLLBACK_SUCCESSFUL');
  });

  test('any other step: the clock runs free, and the bake passes unseen', async () => {
    bakes.stepStarting('ecs-deploy', {});
    const seen = await deployAndLook('example/web:v5', () => {});
    bakes.stepEnded();
    expect(seen).not.toContain('BAKE_TIME');
    expect(seen.at(-1)).toBe('SUCCESSFUL');
  });
});
