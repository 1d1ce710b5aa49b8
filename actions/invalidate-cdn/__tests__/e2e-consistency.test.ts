/**
 * CloudFront is eventually consistent: GetInvalidation may not know an invalidation CreateInvalidation created
 * moments ago. aws-sim answers so when asked (its `lags`); the wait must look again, and say so when that outlasts it.
 */
import type { Sim } from '@shipyard/aws-sim/server';
import { failure, invalidateCdn, SITE, startCdnSim } from '@shipyard/testkit/fixtures/invalidate-cdn/cdn-sim';

let sim: Sim;
afterEach(() => sim?.close());

const answers = () => sim.control.requests({ operation: 'GetInvalidation' }).map((r) => r.errorCode ?? 'ok');

test('an invalidation GetInvalidation does not know yet is looked at again until it is Completed', async () => {
  sim = await startCdnSim([], { lags: { unknownNewInvalidation: true } });
  const run = await invalidateCdn(sim, { distributions: SITE, paths: '/index.html' });

  expect(failure(run)).toBeUndefined();
  expect(run.exitCode).toBe(0);
  const id = run.outputs['invalidation-ids'];
  expect(answers()).toEqual(['NoSuchInvalidation', 'NoSuchInvalidation', 'ok']);
  expect(run.log).toContain(`${id} (${SITE}): CloudFront does not show it yet (NoSuchInvalidation); looking again.`);
  expect(run.log).toContain('All 1 invalidation completed.');
});

test('NoSuchInvalidation for longer than the wait fails the step, saying so', async () => {
  sim = await startCdnSim([], { lags: { unknownNewInvalidation: { reads: 1000 } } });
  const run = await invalidateCdn(sim, { distributions: SITE, paths: '/index.html' }, { timeoutMs: 90_000 });

  expect(run.exitCode).toBe(1);
  const id = run.outputs['invalidation-ids'];
  expect(failure(run)).toMatch(
    new RegExp(
      `^invalidate-cdn: GetInvalidation still answers NoSuchInvalidation for ${id} \\(${SITE}\\), which ` +
        'CreateInvalidation created, after \\d+s\\w* of checks',
    ),
  );
}, 120_000);
