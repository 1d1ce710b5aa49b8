import { runLocalAction } from '@shipyard/testkit/local-action';
import { ACTION_DIR, arn, CLUSTER, startWorld, type World } from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';

// The README's "Run an action locally": @github/local-action runs the sources (main, then post) against aws-sim.

let world: World;
afterEach(() => world.close());

test('plan mode under @github/local-action: outputs reach its table and the post step runs', async () => {
  world = await startWorld([{ name: 'web' }]);
  const run = await runLocalAction({
    actionDir: ACTION_DIR,
    env: {
      ...world.sim.env,
      INPUT_CLUSTER: CLUSTER,
      INPUT_SERVICE: 'web',
      INPUT_IMAGES: 'app=example/web:v2',
      INPUT_MODE: 'plan',
    },
    post: true,
  });
  expect(run.log).not.toContain('No outputs were set!');
  expect(run.outputs).toMatchObject({ status: 'planned', 'previous-task-definition-arn': arn('web', 1) });
  // main described what runs (a plan changes nothing); post read main's state through local-action's core.
  expect(world.sim.control.requests({ operation: 'DescribeServices' }).length).toBeGreaterThan(0);
  expect(world.sim.control.mutatingRequests()).toEqual([]);
  expect(run.log).toMatch(/Running Post Step[\s\S]*Nothing to roll back: no service was changed\./);
  expect(run.exitCode).toBe(0);
}, 300_000);
