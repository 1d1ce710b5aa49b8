import type { Sim } from '@shipyard/aws-sim/server';
import { runLocalAction } from '@shipyard/testkit/local-action';
import { ACTION_DIR, listInvalidations, SITE, startCdnSim } from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';

// The README's "Run an action locally": @github/local-action runs the sources against aws-sim.

let sim: Sim;
afterEach(() => sim.close());

test('an invalidation under @github/local-action: created, waited for, outputs in its table', async () => {
  sim = await startCdnSim();
  const run = await runLocalAction({
    actionDir: ACTION_DIR,
    env: { ...sim.env, INPUT_DISTRIBUTIONS: 'www.example.com', INPUT_PATHS: '/index.html' },
  });
  const [invalidation] = await listInvalidations(sim, SITE);
  expect(run.log).not.toContain('No outputs were set!');
  expect(run.outputs).toEqual({
    'invalidation-ids': invalidation.Id,
    'paths-requested': '1',
    'paths-submitted': '1',
    'estimated-cost': '0.000',
  });
  expect(invalidation.Status).toBe('Completed');
  expect(run.exitCode).toBe(0);
}, 300_000);
