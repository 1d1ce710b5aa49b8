import type { SweepScenario } from '../../src/sweep';
import { blueGreenWithTestUrl, rollingOneService, threeServicesOneFails } from './ecs-deploy';
import { rollbackTwoServices } from './rollback';

/** Every scenario of the whole sweep (`npm run sweep`), in the order they are run and reported. */
export const ALL_SCENARIOS: SweepScenario[] = [
  rollingOneService,
  blueGreenWithTestUrl,
  threeServicesOneFails,
  rollbackTwoServices,
];
