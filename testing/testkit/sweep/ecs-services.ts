/**
 * Where ECS services are after a run, read with the real SDK once their deployments have settled, as sweep
 * targets: on the revision the user asked for, on the known-good one from before the run, or stuck elsewhere.
 */
import { DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import type { Sim } from '@shipyard/aws-sim/server';
import type { RequestRecord } from '@shipyard/aws-sim/world';
import type { Target } from '../src/sweep';

export interface ServiceExpectation {
  name: string;
  /** Task definition ARNs. */
  intended: string;
  knownGood: string;
}

/** How long a service may keep deploying after the run before it counts as stuck (simulated time). */
const SETTLE_LIMIT_MS = 20 * 60_000;
const POLL_REAL_MS = 25;
const MANUAL_STEP_MS = 5_000;

const revisionOf = (arn: string | undefined) => arn?.split('/').pop() ?? 'none';

function settled(service: Service): boolean {
  const deployments = service.deployments ?? [];
  return deployments.length === 1 && deployments[0].rolloutState === 'COMPLETED';
}

/** Waits (in simulated time) until every service has one completed deployment, or the limit passes. */
async function describeSettled(sim: Sim, ecs: ECSClient, cluster: string, names: string[]): Promise<Service[]> {
  const deadline = sim.control.clock.now() + SETTLE_LIMIT_MS;
  const manual = typeof (sim.control.clock as { advance?: unknown }).advance === 'function';
  for (;;) {
    const { services = [] } = await ecs.send(new DescribeServicesCommand({ cluster, services: names }));
    if (services.every(settled) || sim.control.clock.now() >= deadline) return services;
    if (manual) sim.control.advance(MANUAL_STEP_MS);
    else await new Promise((resolve) => setTimeout(resolve, POLL_REAL_MS));
  }
}

export async function serviceTargets(
  sim: Sim,
  ecs: ECSClient,
  cluster: string,
  expectations: ServiceExpectation[],
): Promise<Target[]> {
  const services = await describeSettled(
    sim,
    ecs,
    cluster,
    expectations.map((e) => e.name),
  );
  return expectations.map((expected) => {
    const service = services.find((s) => s.serviceName === expected.name);
    const state = !service
      ? 'missing'
      : !settled(service)
        ? `still deploying (${service.deployments?.map((d) => `${d.status} ${revisionOf(d.taskDefinition)} ${d.rolloutState}`).join(', ')})`
        : service.taskDefinition === expected.intended
          ? 'intended'
          : service.taskDefinition === expected.knownGood
            ? 'known-good'
            : `on ${revisionOf(service.taskDefinition)}`;
    return { name: expected.name, state, reversible: true };
  });
}

/** The calls that put services back: UpdateService to a known-good revision, or stopping a deployment with ROLLBACK. */
export function isServiceRestore(call: RequestRecord, expectations: ServiceExpectation[]): boolean {
  const params = call.params as { service?: string; taskDefinition?: string; action?: string };
  if (call.operation === 'StopServiceDeployment') return true;
  if (call.operation === 'ContinueServiceDeployment') return params.action === 'ROLLBACK';
  if (call.operation !== 'UpdateService') return false;
  const expected = expectations.find((e) => e.name === params.service);
  return expected !== undefined && params.taskDefinition === expected.knownGood;
}
