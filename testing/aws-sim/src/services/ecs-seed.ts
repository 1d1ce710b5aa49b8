import { AwsError } from '../errors';
import type { World } from '../world';
import { createCluster } from './ecs-clusters';
import { createService, type ServiceInput } from './ecs-services';
import { ecsState, findCluster, type Tag } from './ecs-state';
import { registerTaskDefinition } from './ecs-task-definitions';

/**
 * The `ecs` section of a seed document: resources that exist at time zero. Services start steady: their tasks are
 * RUNNING and healthy, their deployment COMPLETED and their service deployment SUCCESSFUL.
 *
 * ```json
 * { "ecs": { "region": "us-east-1",
 *            "clusters": ["prod"],
 *            "taskDefinitions": [{ "family": "web", "containerDefinitions": [...], ... }],
 *            "services": [{ "cluster": "prod", "serviceName": "web", "taskDefinition": "web", "desiredCount": 2, ... }] } }
 * ```
 * Task definitions and services take the RegisterTaskDefinition and CreateService request shapes.
 */
export interface EcsSeed {
  region?: string;
  clusters?: (string | { clusterName: string; tags?: Tag[] })[];
  taskDefinitions?: Record<string, unknown>[];
  services?: ServiceInput[];
}

function seeding<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof AwsError) throw new Error(`aws-sim seed: ${what}: ${error.code}: ${error.message}`);
    throw error;
  }
}

export function seedEcs(world: World, doc: Record<string, unknown>): void {
  const seed = doc.ecs as EcsSeed | undefined;
  if (!seed) return;
  const state = ecsState(world);
  const ctx = { world, region: seed.region ?? 'us-east-1', accountId: world.accountId };
  seed.clusters?.forEach((entry, i) => {
    const input = typeof entry === 'string' ? { clusterName: entry } : entry;
    seeding(`ecs.clusters[${i}]`, () => createCluster(state, ctx, input));
  });
  seed.taskDefinitions?.forEach((input, i) => {
    seeding(`ecs.taskDefinitions[${i}] (${String(input.family)})`, () => registerTaskDefinition(state, ctx, input));
  });
  seed.services?.forEach((input, i) => {
    seeding(`ecs.services[${i}] (${input.serviceName})`, () => {
      if (!findCluster(state, ctx, input.cluster)) createCluster(state, ctx, { clusterName: input.cluster });
      return createService(state, ctx, input, true);
    });
  });
}
