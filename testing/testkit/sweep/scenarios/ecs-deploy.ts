/** ecs-deploy under the sweep: rolling with one service, blue/green with a test-URL check, three services with one failing. */
import { rmSync } from 'node:fs';
import { liveUrls } from '@shipyard/aws-sim/server';
import {
  arn,
  blueGreenLoadBalancers,
  CLUSTER,
  deployAction,
  startWorld,
  type ServiceSpec,
} from '@shipyard/testkit/fixtures/ecs-deploy/sim-world';
import type { SweepScenario } from '../../src/sweep';
import { isServiceRestore, serviceTargets, type ServiceExpectation } from '../ecs-services';

/** Fast enough that a rollout takes a few real seconds, slow enough that the action sees it in progress. */
const TIME_SCALE = 120;

interface DeployCase {
  name: string;
  services: ServiceSpec[];
  /** `images` input per service; the intended revision is :2 (registered by the run) for each. */
  images: Record<string, string>;
  inputs?: (world: Awaited<ReturnType<typeof startWorld>>) => Record<string, string>;
}

function deployScenario(spec: DeployCase): SweepScenario {
  const expectations: ServiceExpectation[] = spec.services.map(({ name }) => ({
    name,
    intended: arn(name, 2),
    knownGood: arn(name, 1),
  }));
  return {
    name: spec.name,
    kinds: ['denial', 'proxy-5xx', 'dropped-connection', 'timeout', 'throttling', 'cancel'],
    async start() {
      const world = await startWorld(spec.services, { timeScale: TIME_SCALE });
      const inputs = {
        service: spec.services.map((s) => s.name).join('\n'),
        images: Object.values(spec.images).join('\n'),
        timeout: '10m',
        ...spec.inputs?.(world),
      };
      return {
        sim: world.sim,
        run: (options) => deployAction(world, inputs, options),
        observe: async () => ({
          targets: await serviceTargets(world.sim, world.ecs, CLUSTER, expectations),
          violations: [],
        }),
        isRestore: (call) => isServiceRestore(call, expectations),
        async close() {
          await world.close();
          rmSync(world.workspace, { recursive: true, force: true });
        },
      };
    },
  };
}

export const rollingOneService = deployScenario({
  name: 'ecs-deploy rolling, 1 service',
  services: [{ name: 'web' }],
  images: { web: 'app=example/web:v2' },
});

export const blueGreenWithTestUrl = deployScenario({
  name: 'ecs-deploy blue/green, test-URL check',
  services: [
    {
      name: 'web',
      extra: {
        loadBalancers: blueGreenLoadBalancers('web'),
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 },
      },
    },
  ],
  images: { web: 'app=example/web:v2' },
  inputs: (world) => ({
    'add-test-pause-hook': 'true',
    'verify-test-url': `${liveUrls(world.sim, CLUSTER, 'web').test}/version`,
    'verify-body': '$.version == v2',
    'verify-interval': '200ms',
    'verify-successes': '2',
  }),
});

/** api crashes: the run fails by design, and every service must end on :1. */
export const threeServicesOneFails = deployScenario({
  name: 'ecs-deploy 3 services, 1 fails',
  services: [
    { name: 'web', container: 'web' },
    { name: 'api', container: 'api' },
    { name: 'worker', container: 'worker' },
  ],
  images: { web: 'web=example/web:v2', api: 'api=example/api:crash', worker: 'worker=example/worker:v2' },
});
