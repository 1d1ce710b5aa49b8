import {
  arn,
  deployAction,
  errorsOf,
  mutations,
  runningRevision,
  startWorld,
  type World,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// Faults the deploy must survive with every service on its new or its known-good revision (the whole sweep is
// testing/testkit/sweep; these are the defects it found, one test each).

let world: World;
afterEach(() => world?.close());

const denied = (operation: string, times = 1000) => ({
  operation,
  error: { code: 'AccessDeniedException', message: `not authorized to perform: ecs:${operation}`, status: 400, times },
});

test('a timeout whose StopServiceDeployment is refused falls back to UpdateService and ends on web:1', async () => {
  world = await startWorld([{ name: 'web' }]);
  world.sim.control.addFault(denied('StopServiceDeployment'));
  const run = await deployAction(world, { service: 'web', images: 'app=example/web:slow', timeout: '3s' });
  expect(run.exitCode).toBe(1);
  expect(errorsOf(run)).toHaveLength(1);
  expect(errorsOf(run)[0]).toMatch(/^ecs-deploy: web: timed out after 3s .*; redeployed, now on web:1$/);
  expect(mutations(world)).toEqual([
    'RegisterTaskDefinition web',
    'UpdateService web',
    'StopServiceDeployment web',
    'UpdateService web',
  ]);
  expect(run.outputs.status).toBe('rolled-back');
  expect(await runningRevision(world, 'web')).toBe('web:1');
  expect(run.post?.log).toContain('Nothing to roll back');
});

test('without the service-deployment read permissions the deploy still succeeds, with one warning that names them', async () => {
  world = await startWorld([{ name: 'web' }]);
  for (const operation of ['ListServiceDeployments', 'DescribeServiceDeployments', 'DescribeServiceRevisions'])
    world.sim.control.addFault(denied(operation));
  const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2' });
  expect(errorsOf(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs['task-definition-arn']).toBe(arn('web', 2));
  const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
  expect(warnings.filter((w) => w.includes('is denied to this role'))).toHaveLength(1);
  expect(await runningRevision(world, 'web')).toBe('web:2');
});

test('without them a crashing image is still judged failed and rolled back to web:1', async () => {
  world = await startWorld([{ name: 'web' }]);
  for (const operation of ['ListServiceDeployments', 'DescribeServiceDeployments', 'DescribeServiceRevisions'])
    world.sim.control.addFault(denied(operation));
  const run = await deployAction(world, { service: 'web', images: 'app=example/web:crash' });
  expect(run.exitCode).toBe(1);
  expect(errorsOf(run)[0]).toMatch(/^ecs-deploy: web: (rollout FAILED|the deployment is gone).*already back on web:1$/);
  expect(run.outputs.status).toBe('rolled-back');
  expect(await runningRevision(world, 'web')).toBe('web:1');
});

test('three services, the rollback of one refused: the error names it, where it is and the command that puts it back', async () => {
  world = await startWorld([
    { name: 'web', container: 'web' },
    { name: 'api', container: 'api' },
    { name: 'worker', container: 'worker' },
  ]);
  // The three deploys are UpdateService calls 1 to 3; the first rollback call (4th) is refused.
  world.sim.control.addFault({
    operation: 'UpdateService',
    nth: 4,
    error: { code: 'AccessDeniedException', message: 'not authorized to perform: ecs:UpdateService', status: 400 },
  });
  const run = await deployAction(world, {
    service: 'web\napi\nworker',
    images: 'web=example/web:v2\napi=example/api:crash\nworker=example/worker:v2',
  });
  expect(run.exitCode).toBe(1);
  const [headline] = errorsOf(run);
  expect(headline).toMatch(/^ecs-deploy: 1 of 3 services failed \(api: .*\)\. rolled back: (web|worker) to \1:1\. /);
  const refused =
    /NOT restored: (web|worker) \(on (web|worker):2\); put back with `aws ecs update-service --region us-east-1 --cluster prod --service (web|worker) --task-definition arn:aws:ecs:us-east-1:123456789012:task-definition\/(web|worker):1`, or the rollback action$/.exec(
      headline,
    );
  expect(refused).not.toBeNull();
  expect(await runningRevision(world, refused![1])).toBe(`${refused![1]}:2`);
  expect(run.outputs.status).toBe('failed');
});

describe('an UpdateService answer that still names the old service deployment (eventually consistent)', () => {
  test('the new deployment is found by listing and judged: success', async () => {
    world = await startWorld([{ name: 'web' }], { lags: { staleUpdateServiceAnswer: true } });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2' });
    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(world.sim.control.requests({ operation: 'ListServiceDeployments' }).length).toBeGreaterThan(0);
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });

  test('a crash is judged on its own deployment, not the one it replaced: rolled back to web:1', async () => {
    world = await startWorld([{ name: 'web' }], { lags: { staleUpdateServiceAnswer: true } });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:crash' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/^ecs-deploy: web: service deployment ROLLBACK_\w+: .*web:1$/);
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });
});
