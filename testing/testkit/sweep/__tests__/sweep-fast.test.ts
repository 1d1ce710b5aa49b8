/**
 * The fast subset of the fault-point sweep (`npm run sweep` runs all of it): the main scenarios, every second fault
 * point, one fault kind per point, the kinds taking turns. Every run must hold every invariant; a failure lists the
 * fault point, the kind and what broke.
 */
import { sweep, type FaultKind } from '../../src/sweep';
import { formatResult } from '../../src/sweep-report';
import { promoteByDigest } from '../scenarios/build-push';
import { rollingOneService, threeServicesOneFails } from '../scenarios/ecs-deploy';
import { invalidateSeveralBatches } from '../scenarios/invalidate-cdn';
import { migrateEcs } from '../scenarios/migrate';
import { rollbackTwoServices } from '../scenarios/rollback';

/** The quick kinds: a timeout waits for the step's, throttling for the SDK's back-off. */
const FAST_KINDS: FaultKind[] = ['denial', 'cancel', 'proxy-5xx', 'dropped-connection'];

test.each([
  rollingOneService,
  threeServicesOneFails,
  rollbackTwoServices,
  migrateEcs,
  invalidateSeveralBatches,
  promoteByDigest,
])('$name: known-good after a fault at any call', async (scenario) => {
  const results = await sweep(scenario, { kinds: FAST_KINDS, rotateKinds: true, stride: 2, concurrency: 2 });
  expect(results.filter((result) => result.violations.length).map(formatResult)).toEqual([]);
});
