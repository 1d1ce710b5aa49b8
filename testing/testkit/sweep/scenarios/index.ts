import type { SweepScenario } from '../../src/sweep';
import { promoteByDigest } from './build-push';
import { blueGreenWithTestUrl, rollingOneService, threeServicesOneFails } from './ecs-deploy';
import { invalidateSeveralBatches } from './invalidate-cdn';
import { migrateEcs } from './migrate';
import { rollbackTwoServices } from './rollback';

/** Every scenario of the whole sweep (`npm run sweep`), in the order they are run and reported. */
export const ALL_SCENARIOS: SweepScenario[] = [
  rollingOneService,
  blueGreenWithTestUrl,
  threeServicesOneFails,
  rollbackTwoServices,
  migrateEcs,
  invalidateSeveralBatches,
  promoteByDigest,
];
