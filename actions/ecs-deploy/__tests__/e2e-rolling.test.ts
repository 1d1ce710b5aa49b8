import {
  arn,
  deployAction,
  errorsOf,
  mutations,
  runningRevision,
  startWorld,
  type World,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// Rolling deployments of the bundled action against aws-sim: success, circuit breaker, timeout, many services,
// cancellation, throttling.

let world: World;
afterEach(() => world?.close());

describe('rolling deploy', () => {
  test('succeeds: registers one revision, shows the diff, judges by its own deployment', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, {
      service: 'web',
      images: 'app=example/web:v2',
      env: 'LOG_LEVEL=debug',
      'github-token': 'ghs_test_token',
      environment: 'production',
      'environment-url': 'https://shop.example.com',
    });
    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      'task-definition-arn': arn('web', 2),
      'previous-task-definition-arn': arn('web', 1),
      status: 'succeeded',
      'rolled-back': 'false',
    });
    expect(run.outputs['deployment-ids']).toMatch(/^ecs-svc\/\d+$/);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web']);
    expect(run.log).toContain('container "app": image: example/web:v1 → example/web:v2');
    expect(run.log).toMatch(/container "app": env LOG_LEVEL: \(hidden #[0-9a-f]{8}\) → \(hidden #[0-9a-f]{8}\)/);
    expect(run.summary).toContain('| web | web:1 → web:2 | ROLLING |');
    expect(run.summary).toContain('✅ succeeded');
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.log).toContain('Nothing to roll back');
    expect(await runningRevision(world, 'web')).toBe('web:2');
    const deployments = world.sim.control.milestones('github-deployment').map((m) => m.state);
    expect(deployments).toEqual(['in_progress', 'success']);
  });

  test('a crashing image trips the circuit breaker: failure, explanation with exit code and log lines, back on web:1', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:crash' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).at(-1)).toMatch(
      /^ecs-deploy: web: service deployment ROLLBACK_\w+: .*; (already back on|ECS rolled back, now on) web:1$/,
    );
    expect(run.log).toMatch(/Why "web" failed: service deployment ROLLBACK_\w+/);
    expect(run.log).toMatch(/container "app": exit code 3/);
    expect(run.log).toMatch(/EssentialContainerExited/);
    expect(run.log).toContain('Last 30 log lines of container "app"');
    expect(run.log).toContain('    Error: relation "orders" does not exist');
    expect(run.log).toContain('    ::error::written by the app');
    expect(errorsOf(run).filter((e) => e.includes('written by the app'))).toEqual([]);
    expect(run.outputs).toMatchObject({
      status: 'rolled-back',
      'rolled-back': 'true',
      'task-definition-arn': arn('web', 2),
    });
    expect(run.summary).toContain('### Why it failed');
    expect(run.summary).toContain('exit code 3');
    // ECS rolled back by itself: no UpdateService or StopServiceDeployment from the action's rollback.
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web']);
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });

  test('a timeout stops the deployment with ROLLBACK', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:slow', timeout: '3s' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run).at(-1)).toMatch(
      /^ecs-deploy: web: timed out after 3s \(IN_PROGRESS.*\); stopped with ROLLBACK, now on web:1$/,
    );
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web', 'StopServiceDeployment web']);
    expect(run.outputs.status).toBe('rolled-back');
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });

  test('three services, one failing: all three are back on their previous revisions', async () => {
    world = await startWorld([
      { name: 'web', container: 'web' },
      { name: 'api', container: 'api' },
      { name: 'worker', container: 'worker' },
    ]);
    const run = await deployAction(world, {
      service: 'web\napi\nworker',
      images: 'web=example/web:v2\napi=example/api:crash\nworker=example/worker:v2',
    });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toHaveLength(1);
    expect(errorsOf(run)[0]).toMatch(
      /^ecs-deploy: 1 of 3 services failed \(api: .*already back on api:1\)\. rolled back: web to web:1, worker to worker:1$/,
    );
    const registered = mutations(world)
      .filter((m) => m.startsWith('RegisterTaskDefinition'))
      .sort();
    expect(registered).toEqual([
      'RegisterTaskDefinition api',
      'RegisterTaskDefinition web',
      'RegisterTaskDefinition worker',
    ]);
    expect(run.outputs['task-definition-arn']).toBe(
      `web=${arn('web', 2)}\napi=${arn('api', 2)}\nworker=${arn('worker', 2)}`,
    );
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.summary).toMatch(/\| api \| api:1 → api:2 \| ROLLING \| .* \| ↩️ rolled back/);
    expect(await Promise.all(['web', 'api', 'worker'].map((s) => runningRevision(world, s)))).toEqual([
      'web:1',
      'api:1',
      'worker:1',
    ]);
  });

  test('SIGINT mid-deploy: main stops, the post step rolls the deployment back', async () => {
    world = await startWorld([{ name: 'web' }]);
    const run = await deployAction(
      world,
      { service: 'web', images: 'app=example/web:slow' },
      { signalAfter: { whenLogMatches: /web: web:1 → web:2 started/ } },
    );
    expect(run.conclusion).toBe('cancelled');
    expect(errorsOf(run)).toEqual([
      'ecs-deploy: cancelled while deploying web (web:1 → web:2); the post step puts web back on web:1',
    ]);
    expect(run.outputs.status).toBe('cancelled');
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.log).toMatch(/web: rolled-back — stopped with ROLLBACK, now on web:1/);
    expect(mutations(world)).toEqual(['RegisterTaskDefinition web', 'UpdateService web', 'StopServiceDeployment web']);
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });

  test('30 % throttling on every ECS call: still succeeds', async () => {
    world = await startWorld([{ name: 'web' }], { randomSeed: 7 });
    world.sim.control.addFault({ service: 'ecs', throttleRate: 0.3 });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2' });
    expect(errorsOf(run)).toEqual([]);
    expect(run.outputs.status).toBe('succeeded');
    const throttled = world.sim.control.requests({ service: 'ecs' }).filter((r) => r.injected);
    expect(throttled.length).toBeGreaterThan(0);
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });
});
