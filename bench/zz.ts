import { spawnSync } from 'node:child_process';
import { startWorld, CLUSTER } from '/work/main/actions/ecs-deploy/__tests__/fixtures/sim-world';
(async () => {
  const world = await startWorld([{ name: 'web' }]);
  const t0 = Date.now();
  spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', '/tmp/prof2', '--cpu-prof-interval', '100', '/work/main/actions/ecs-deploy/dist/index.js'], { env: { PATH: process.env.PATH, ...world.sim.env, INPUT_SERVICE: 'missing', INPUT_CLUSTER: CLUSTER }, stdio: 'ignore' });
  console.log('first request after', world.sim.control.requests()[0].realTime - t0);
  await world.close();
})();
