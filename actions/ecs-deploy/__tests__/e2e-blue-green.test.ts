import { ScaledClock, type SimClock } from '@shipyard/aws-sim/clock';
import { liveUrls } from '@shipyard/aws-sim/server';
import { gateBakes } from '@shipyard/testkit/bake-gate';
import { beforeEachRequest, HeldClock } from '@shipyard/testkit/sim-time';
import {
  blueGreenLoadBalancers,
  CLUSTER,
  deployAction,
  errorsOf,
  mutations,
  runningRevision,
  startWorld,
  type World,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// Native blue/green through the bundled action: the test URL is checked while the test listener serves the new
// revision (answering a PAUSE hook), the production URL during bake time.

let world: World;
afterEach(() => world?.close());

const blueGreen = (bakeTimeInMinutes: number) => ({
  name: 'web',
  extra: {
    loadBalancers: blueGreenLoadBalancers('web'),
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes },
  },
});

/**
 * A world whose bakes are seen and judged before they end however busy the machine (see bake-gate.ts), and a deploy
 * step run under that gate.
 */
async function startGatedWorld(bakeTimeInMinutes: number) {
  const clock = new HeldClock(60);
  const bakes = gateBakes(clock);
  world = await startWorld([blueGreen(bakeTimeInMinutes)], { clock });
  bakes.watch(world.sim);
  return async (inputs: Record<string, string>) => {
    bakes.stepStarting('ecs-deploy', inputs);
    try {
      return await deployAction(world, inputs, { onLine: (line) => bakes.line(line) });
    } finally {
      bakes.stepEnded();
    }
  };
}

function params(operation: string): Record<string, unknown>[] {
  return world.sim.control.requests({ operation, mutating: true }).map((r) => r.params as Record<string, unknown>);
}

describe('blue/green deploy', () => {
  test('succeeds: test URL checked at the PAUSE hook, production URL during bake time', async () => {
    const deploy = await startGatedWorld(1);
    const urls = liveUrls(world.sim, CLUSTER, 'web');
    const run = await deploy({
      service: 'web',
      images: 'app=example/web:v2',
      'bake-time': '5m',
      'add-test-pause-hook': 'true',
      'verify-test-url': `${urls.test}/version`,
      'verify-url': `${urls.production}/version`,
      'verify-body': '$.version == v2',
      'verify-interval': '200ms',
      'verify-successes': '2',
    });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(mutations(world)).toEqual([
      'RegisterTaskDefinition web',
      'UpdateService web',
      'ContinueServiceDeployment web',
    ]);
    expect(params('UpdateService')[0].deploymentConfiguration).toMatchObject({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 5,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'] }],
    });
    expect(params('ContinueServiceDeployment')[0]).toMatchObject({ action: 'CONTINUE' });
    const lines = run.log.split('\n');
    const at = (text: string) => lines.findIndex((line) => line.includes(text));
    expect(at('web: the test check passed')).toBeGreaterThan(at('POST_TEST_TRAFFIC_SHIFT'));
    expect(at('web: checking the production URL')).toBeGreaterThan(at('· BAKE_TIME'));
    expect(at('web: the production check passed')).toBeLessThan(at('web: SUCCESSFUL'));
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });

  test('a failed production check during bake time stops the deployment with ROLLBACK', async () => {
    const deploy = await startGatedWorld(10);
    const urls = liveUrls(world.sim, CLUSTER, 'web');
    const run = await deploy({
      service: 'web',
      images: 'app=example/web:broken-health',
      'verify-url': `${urls.production}/health`,
      'verify-interval': '200ms',
      'verify-successes': '2',
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).at(-1)).toMatch(
      new RegExp(
        `^ecs-deploy: web: the production check failed: 2 failed checks in a row, last: ${urls.production}/health: ` +
          'HTTP 503, expected 200; (already back on|ECS rolled back, now on) web:1$',
      ),
    );
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web', 'StopServiceDeployment web']);
    expect(params('StopServiceDeployment')[0]).toMatchObject({ stopType: 'ROLLBACK' });
    expect(run.outputs).toMatchObject({ status: 'rolled-back', 'rolled-back': 'true' });
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });

  test('a failed test-URL check answers the PAUSE hook with ROLLBACK: production never shifts', async () => {
    world = await startWorld([blueGreen(1)]);
    const urls = liveUrls(world.sim, CLUSTER, 'web');
    const run = await deployAction(world, {
      service: 'web',
      images: 'app=example/web:broken-health',
      'add-test-pause-hook': 'true',
      'verify-test-url': `${urls.test}/health`,
      'verify-interval': '200ms',
      'verify-successes': '2',
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).at(-1)).toMatch(
      /^ecs-deploy: web: the test check failed: 2 failed checks in a row, .*HTTP 503, expected 200; /,
    );
    expect(mutations(world)).toEqual([
      'RegisterTaskDefinition web',
      'UpdateService web',
      'ContinueServiceDeployment web',
    ]);
    expect(params('ContinueServiceDeployment')[0]).toMatchObject({ action: 'ROLLBACK' });
    expect(run.log).not.toContain('PRODUCTION_TRAFFIC_SHIFT');
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });
});

/** Runs 60× like the e2e default, and jumps ahead when told: a deployment finishes between two steps of a run. */
class JumpingClock implements SimClock {
  private readonly scaled = new ScaledClock(60);
  private offset = 0;
  now(): number {
    return this.scaled.now() + this.offset;
  }
  toRealTime(simTime: number): number {
    return this.scaled.toRealTime(simTime - this.offset);
  }
  jump(ms: number): void {
    this.offset += ms;
  }
}

describe('blue/green faults at the PAUSE hook', () => {
  const testUrlInputs = () => {
    const urls = liveUrls(world.sim, CLUSTER, 'web');
    return {
      service: 'web',
      images: 'app=example/web:v2',
      'add-test-pause-hook': 'true',
      'verify-test-url': `${urls.test}/version`,
      'verify-body': '$.version == v2',
      'verify-interval': '200ms',
      'verify-successes': '2',
    };
  };

  test('an answer to the hook lost after ECS took it is no failure: the deploy succeeds on web:2', async () => {
    world = await startWorld([blueGreen(1)]);
    world.sim.control.addFault({
      operation: 'ContinueServiceDeployment',
      nth: 1,
      dropConnection: true,
      afterApplying: true,
    });
    const run = await deployAction(world, testUrlInputs());
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.log).toMatch(/web: the hook no longer waits \(.*\); ECS's view decides/);
    // Answered once: the look at the hook, not a blind repeat, settled it.
    expect(mutations(world)).toEqual([
      'RegisterTaskDefinition web',
      'UpdateService web',
      'ContinueServiceDeployment web',
    ]);
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });

  test('cancelled as the hook is answered: the way back continues its own PAUSE hook and ends on web:1', async () => {
    const clock = new JumpingClock();
    world = await startWorld([blueGreen(1)], { clock });
    const answered = new Promise<void>((resolve) =>
      beforeEachRequest(world.sim, { operation: 'ContinueServiceDeployment' }, () => resolve()),
    );
    const run = await deployAction(world, testUrlInputs(), {
      signalAfter: { when: answered },
      // Main has ended: the deployment it answered completes before the post step looks (UpdateService is the way).
      onLine: (line) => {
        if (line.includes('cancelled while deploying web')) clock.jump(5 * 60_000);
      },
    });
    expect(run.conclusion).toBe('cancelled');
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.log).toMatch(/web: the way back waits at a PAUSE hook \(POST_TEST_TRAFFIC_SHIFT\): CONTINUE/);
    expect(run.post?.log).toMatch(/web: rolled-back — redeployed, now on web:1/);
    expect(mutations(world)).toEqual([
      'RegisterTaskDefinition web',
      'UpdateService web',
      'ContinueServiceDeployment web',
      'UpdateService web',
      'ContinueServiceDeployment web',
    ]);
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });
});
