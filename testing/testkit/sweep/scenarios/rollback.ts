/** The rollback action under the sweep: two services deployed from :1 to :2, rolled back together to :1. */
import type { RequestRecord } from '@shipyard/aws-sim/world';
import { CLUSTER, startRig, taskDefinitionArn } from '@shipyard/testkit/fixtures/rollback/rig';
import type { SweepScenario } from '../../src/sweep';
import { serviceTargets, type ServiceExpectation } from '../ecs-services';

const SERVICES = ['web', 'api'];
// What the user asks for is :1 (the last known-good before the bad :2); what was there before the run is :2.
const EXPECTATIONS: ServiceExpectation[] = SERVICES.map((name) => ({
  name,
  intended: taskDefinitionArn(name, 1),
  knownGood: taskDefinitionArn(name, 2),
}));

/** After a failure the action may still finish rolling back (to :1) or undo what it did (to :2); nothing else. */
function isRollbackMove(call: RequestRecord): boolean {
  if (call.operation === 'StopServiceDeployment') return true;
  const params = call.params as { service?: string; taskDefinition?: string };
  const expected = EXPECTATIONS.find((e) => e.name === params.service);
  return (
    call.operation === 'UpdateService' &&
    expected !== undefined &&
    [expected.intended, expected.knownGood].includes(params.taskDefinition ?? '')
  );
}

export const rollbackTwoServices: SweepScenario = {
  name: 'rollback, 2 services',
  kinds: ['denial', 'proxy-5xx', 'dropped-connection', 'timeout', 'throttling'],
  async start() {
    const rig = await startRig();
    for (const name of SERVICES) {
      rig.createService(name);
      await rig.deploy(name, await rig.register(name, 'v2'));
    }
    return {
      sim: rig.sim,
      run: (options) => rig.run({ service: SERVICES.join('\n') }, options),
      observe: async () => ({
        targets: await serviceTargets(rig.sim, rig.ecs, CLUSTER, EXPECTATIONS),
        violations: [],
      }),
      isRestore: isRollbackMove,
      close: () => rig.close(),
    };
  },
};
