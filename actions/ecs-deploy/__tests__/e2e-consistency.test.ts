import { ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import {
  arn,
  CLUSTER,
  deployAction,
  errorsOf,
  mutations,
  runningRevision,
  startWorld,
  type World,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// ECS is eventually consistent: for a short while after a write, other calls may answer as before it. aws-sim gives
// those answers when asked (its `lags`); the deploy must wait them out, and say so when one outlasts the wait.

let world: World;
afterEach(() => world?.close());

const answers = (operation: string) => world.sim.control.requests({ operation }).map((r) => r.errorCode ?? 'ok');

describe('a new revision that ECS does not know yet (RegisterTaskDefinition, then UpdateService)', () => {
  test('UpdateService is tried again until ECS knows it: deployed', async () => {
    world = await startWorld([{ name: 'web' }], { lags: { unknownNewTaskDefinition: true } });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2' });
    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(answers('UpdateService')).toEqual(['ClientException', 'ClientException', 'ok']);
    expect(run.log).toContain('ECS does not know task definition web:2 (yet, if it was just registered); trying again');
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });

  test('a lag that outlasts the wait fails the deploy, saying so; the service stays on web:1', async () => {
    world = await startWorld([{ name: 'web' }], { lags: { unknownNewTaskDefinition: { reads: 1000 } } });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2' }, { timeoutMs: 90_000 });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(
      /^ecs-deploy: web: ecs:UpdateService failed: ClientException: Unable to describe task definition \(still so after 1\d+s\w* of retries\)/,
    );
    expect(mutations(world).filter((m) => m.startsWith('UpdateService'))).toHaveLength(5);
    expect(await runningRevision(world, 'web')).toBe('web:1');
  }, 120_000);
});

describe('DescribeServices answering as before the update for a while', () => {
  test('the deployment is watched until it shows, then judged: success', async () => {
    world = await startWorld([{ name: 'web' }], { lags: { staleServiceAfterUpdate: { reads: 3 } } });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2' });
    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(await runningRevision(world, 'web')).toBe('web:2');
  });

  test('a crash is still judged on its own deployment: rolled back to web:1', async () => {
    world = await startWorld([{ name: 'web' }], { lags: { staleServiceAfterUpdate: { reads: 3 } } });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:crash' });
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)[0]).toMatch(/^ecs-deploy: web: .*web:1$/);
    expect(run.outputs.status).toBe('rolled-back');
    expect(await runningRevision(world, 'web')).toBe('web:1');
  });
});

describe('the new service deployment not listed yet, and an UpdateService answer naming the replaced one', () => {
  test('the new service deployment is listed again until it shows, and followed', async () => {
    world = await startWorld([{ name: 'web' }], {
      lags: { staleUpdateServiceAnswer: true, unlistedNewServiceDeployment: { reads: 2 } },
    });
    const run = await deployAction(world, { service: 'web', images: 'app=example/web:v2' });
    expect(errorsOf(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    const listed = await world.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: 'web' }));
    const newest = listed.serviceDeployments![0].serviceDeploymentArn!;
    expect(world.sim.control.requests({ operation: 'ListServiceDeployments' }).length).toBeGreaterThanOrEqual(3);
    expect(run.log).toContain(`web: web:1 → web:2 started (`);
    expect(run.log).toContain(`, ${newest})`);
    expect(run.outputs['task-definition-arn']).toBe(arn('web', 2));
  });
});
