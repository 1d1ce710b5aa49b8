import { errors, startRig, taskDefinitionArn, type Rig } from '@shipyard/testkit/fixtures/rollback/rig';

// ECS is eventually consistent: UpdateService's answer may still name the service deployment it replaced, and the
// new one may not be listed at first. aws-sim answers so when asked (its `lags`); a rollback must be judged on the
// deployment it started, never on the one it replaced (whose SUCCESSFUL would be a false success).
jest.setTimeout(60_000);

let rig: Rig;
beforeEach(async () => {
  rig = await startRig();
});
afterEach(() => rig.close());

/**
 * v1 (seed) → v2 deployed (SUCCESSFUL) → `tag` registered as revision 3, not deployed; then the lags go on. ECS's
 * clock runs an hour ahead of the runner's, so every deployment in the history looks "created since the call" by the
 * runner's clock: only ECS's own timestamps tell the new deployment from the seed's (which targets v1 and succeeded).
 */
async function history(service: string, tag: string): Promise<void> {
  rig.sim.control.advance(60 * 60_000);
  rig.createService(service);
  expect(await rig.deploy(service, await rig.register(service, 'v2'))).toBe('SUCCESSFUL');
  await rig.register(service, tag);
  Object.assign(rig.sim.control.world.lags, {
    staleUpdateServiceAnswer: true,
    unlistedNewServiceDeployment: { reads: 2 },
    staleServiceAfterUpdate: { reads: 2 },
  });
}

test('a rollback to a revision that crashes fails, judged on its own service deployment', async () => {
  await history('web', 'broken');
  const run = await rig.run({ service: 'web', target: '3' });
  expect(run.exitCode).toBe(1);
  expect(errors(run).join('\n')).toMatch(/web/);
  expect(run.outputs.status).not.toBe('succeeded');
  expect(rig.sim.control.requests({ operation: 'ListServiceDeployments' }).length).toBeGreaterThanOrEqual(3);
});

test('a rollback to a good revision succeeds once its own service deployment does', async () => {
  await history('api', 'v3');
  const run = await rig.run({ service: 'api', target: '1' });
  expect(errors(run)).toEqual([]);
  expect(run.outputs.status).toBe('succeeded');
  expect(await rig.primary('api')).toBe(taskDefinitionArn('api', 1));
  const watched = rig.sim.control
    .requests({ operation: 'DescribeServiceDeployments' })
    .flatMap((r) => (r.params as { serviceDeploymentArns: string[] }).serviceDeploymentArns);
  const finished = rig.sim.control.milestones('service-deployment').at(-1)!;
  expect(finished.state).toBe('SUCCESSFUL');
  // Judged on its own service deployment (the crash case above proves the replaced one's SUCCESSFUL is not taken);
  // other reads may come after the deciding one, so this is not the last ARN described.
  expect(watched).toContain(finished.id);
});
