import type { JsonHandler } from '../protocols/json';
import type { RequestContext } from '../service';
import {
  ecsArn,
  ecsState,
  findCluster,
  invalidParameter,
  paginate,
  tasksOf,
  type Cluster,
  type EcsState,
  type Tag,
} from './ecs-state';

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export function createCluster(
  state: EcsState,
  ctx: Pick<RequestContext, 'region' | 'accountId'>,
  input: { clusterName?: string; tags?: Tag[]; settings?: Cluster['settings'] },
) {
  const name = input.clusterName ?? 'default';
  if (!CLUSTER_NAME.test(name)) {
    throw invalidParameter(
      'Cluster name can have up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  const existing = findCluster(state, ctx, name);
  if (existing) return existing;
  const cluster: Cluster = {
    clusterArn: ecsArn(ctx, `cluster/${name}`),
    clusterName: name,
    region: ctx.region,
    status: 'ACTIVE',
    settings: input.settings ?? [{ name: 'containerInsights', value: 'disabled' }],
    tags: input.tags ?? [],
  };
  state.clusters.set(cluster.clusterArn, cluster);
  return cluster;
}

function renderCluster(state: EcsState, cluster: Cluster, includeTags: boolean) {
  const tasks = tasksOf(state, (t) => t.clusterArn === cluster.clusterArn);
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
    activeServicesCount: [...state.services.values()].filter(
      (s) => s.clusterArn === cluster.clusterArn && s.status === 'ACTIVE',
    ).length,
    statistics: [],
    tags: includeTags ? cluster.tags : undefined,
    settings: cluster.settings,
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [],
  };
}

export const clusterHandlers: Record<string, JsonHandler> = {
  CreateCluster(input, ctx) {
    const state = ecsState(ctx.world);
    return { cluster: renderCluster(state, createCluster(state, ctx, input), true) };
  },

  DescribeClusters(input: { clusters?: string[]; include?: string[] }, ctx) {
    const state = ecsState(ctx.world);
    const refs = input.clusters?.length ? input.clusters : ['default'];
    if (refs.length > 100) throw invalidParameter('clusters can have at most 100 items.');
    const clusters = [];
    const failures = [];
    for (const ref of refs) {
      const cluster = findCluster(state, ctx, ref);
      if (cluster) clusters.push(renderCluster(state, cluster, input.include?.includes('TAGS') ?? false));
      else failures.push({ arn: ref.startsWith('arn:') ? ref : ecsArn(ctx, `cluster/${ref}`), reason: 'MISSING' });
    }
    return { clusters, failures };
  },

  ListClusters(input: { maxResults?: number; nextToken?: string }, ctx) {
    const arns = [...ecsState(ctx.world).clusters.values()]
      .filter((c) => c.region === ctx.region)
      .map((c) => c.clusterArn);
    const { page, nextToken } = paginate(arns, input.maxResults, input.nextToken);
    return { clusterArns: page, nextToken };
  },
};
