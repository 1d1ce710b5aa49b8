import { AwsError } from '../errors';
import type { JsonHandler } from '../protocols/json';
import type { RequestContext } from '../service';
import {
  clientException,
  ecsArn,
  ecsState,
  findCluster,
  invalidParameter,
  paginate,
  requireTaskDefinition,
  requireVisibleTaskDefinition,
  type ContainerDefinition,
  type EcsState,
  type PortMapping,
  type Tag,
  type TaskDefinition,
} from './ecs-state';

const NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Fargate task sizes: CPU units → allowed memory (MiB). */
const FARGATE_SIZES: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Task-level sizes may be given as units ("1024") or with units ("1 vCPU", "2 GB"), as the API accepts. */
function parseSize(raw: unknown, unit: 'vcpu' | 'gb'): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)?\s*$/i.exec(String(raw));
  if (!match) throw clientException(`Invalid '${unit === 'vcpu' ? 'cpu' : 'memory'}' setting for task.`);
  return match[2]?.toLowerCase() === unit ? Math.round(Number(match[1]) * 1024) : Number(match[1]);
}

function validateContainer(def: ContainerDefinition, input: { requiresCompatibilities?: string[]; memory?: unknown }) {
  if (!def.name) throw clientException('Container.name should not be null or empty.');
  if (!NAME.test(def.name)) throw clientException('Container.name contains invalid characters.');
  if (!def.image) throw clientException('Container.image should not be null or empty.');
  const fargate = input.requiresCompatibilities?.includes('FARGATE');
  if (!fargate && input.memory === undefined && def.memory === undefined && def.memoryReservation === undefined) {
    throw clientException(
      `Invalid setting for container '${def.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
    );
  }
  const log = def.logConfiguration;
  if (log?.logDriver === 'awslogs') {
    const missing = ['awslogs-region', 'awslogs-group'].filter((option) => !log.options?.[option]);
    if (missing.length) throw clientException(`Log driver awslogs requires options: ${missing.join(', ')}`);
  }
}

function validateFargate(
  input: Record<string, unknown>,
  containers: ContainerDefinition[],
): { cpu: number; memory: number } {
  if (input.networkMode !== 'awsvpc') throw clientException('Fargate only supports network mode ‘awsvpc’.');
  const cpu = parseSize(input.cpu, 'vcpu');
  const memory = parseSize(input.memory, 'gb');
  if (cpu === undefined) throw clientException("Fargate requires that 'cpu' be defined at the task level.");
  if (memory === undefined) throw clientException("Fargate requires that 'memory' be defined at the task level.");
  if (!FARGATE_SIZES[cpu]?.includes(memory)) {
    throw clientException(
      `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
    );
  }
  if (!input.executionRoleArn) {
    if (containers.some((c) => c.logConfiguration?.logDriver === 'awslogs')) {
      throw clientException(
        'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
      );
    }
    if (containers.some((c) => /\.dkr\.ecr\.[^/]+\.amazonaws\.com\//.test(c.image))) {
      throw clientException('Fargate requires task definition to have execution role ARN to support ECR images.');
    }
  }
  return { cpu, memory };
}

/** Validates a RegisterTaskDefinition request the way ECS does, in the order ECS reports problems. */
export function validateTaskDefinition(input: Record<string, unknown>): { cpu?: number; memory?: number } {
  const family = input.family as string | undefined;
  if (!family) throw clientException('Family must not be null or empty.');
  if (!NAME.test(family)) throw clientException('Family contains invalid characters.');
  const containers = input.containerDefinitions as ContainerDefinition[] | undefined;
  if (!Array.isArray(containers) || containers.length === 0) throw clientException('Container list cannot be empty.');
  const seen = new Set<string>();
  for (const def of containers) {
    validateContainer(def, input as { requiresCompatibilities?: string[]; memory?: unknown });
    if (seen.has(def.name)) throw clientException(`Duplicate container name found: ${def.name}.`);
    seen.add(def.name);
  }
  if (!containers.some((c) => c.essential !== false)) {
    throw clientException("Task definition doesn't have any essential container.");
  }
  const tags = (input.tags as Tag[] | undefined) ?? [];
  if (tags.length > 50) throw invalidParameter('Too many tags: at most 50 tags are allowed per resource.');
  if ((input.requiresCompatibilities as string[] | undefined)?.includes('FARGATE'))
    return validateFargate(input, containers);
  return { cpu: parseSize(input.cpu, 'vcpu'), memory: parseSize(input.memory, 'gb') };
}

/** What ECS fills in on registration (DescribeTaskDefinition shows them although the request left them out). */
const CONTAINER_DEFAULTS = {
  cpu: 0,
  portMappings: [],
  essential: true,
  environment: [],
  mountPoints: [],
  volumesFrom: [],
  systemControls: [],
};
const TASK_DEFAULTS = { volumes: [], placementConstraints: [] };

/** ECS makes each port mapping tcp unless told otherwise, and pins the host port under awsvpc and host networking. */
function registeredPortMappings(mappings: PortMapping[] | undefined, networkMode: unknown): PortMapping[] | undefined {
  const pinned = networkMode === 'awsvpc' || networkMode === 'host';
  return mappings?.map((m) => ({ protocol: 'tcp', ...(pinned ? { hostPort: m.containerPort } : {}), ...m }));
}

export function registerTaskDefinition(
  state: EcsState,
  ctx: Pick<RequestContext, 'region' | 'accountId' | 'world'>,
  input: Record<string, unknown>,
) {
  const { cpu, memory } = validateTaskDefinition(input);
  const { tags = [], ...fields } = input as { tags?: Tag[] } & Record<string, unknown>;
  const family = fields.family as string;
  const key = `${ctx.region}/${family}`;
  const revisions = state.families.get(key) ?? [];
  state.families.set(key, revisions);
  const revision = revisions.length + 1;
  const fargateReady = fields.networkMode === 'awsvpc' && cpu !== undefined && memory !== undefined;
  const td: TaskDefinition = {
    ...TASK_DEFAULTS,
    ...fields,
    family,
    taskDefinitionArn: ecsArn(ctx, `task-definition/${family}:${revision}`),
    revision,
    status: 'ACTIVE',
    containerDefinitions: (fields.containerDefinitions as ContainerDefinition[]).map((c) => ({
      ...CONTAINER_DEFAULTS,
      ...c,
      portMappings: registeredPortMappings(c.portMappings, fields.networkMode) ?? [],
    })),
    cpu: cpu === undefined ? undefined : String(cpu),
    memory: memory === undefined ? undefined : String(memory),
    compatibilities: fargateReady ? ['EC2', 'FARGATE'] : ['EC2'],
    registeredAt: new Date(ctx.world.now()),
    registeredBy: `arn:aws:iam::${ctx.accountId}:root`,
  };
  revisions.push(td);
  state.tags.set(td.taskDefinitionArn, tags);
  return td;
}

/** Tag lists by resource ARN: clusters, services and tasks keep their own; task definitions live in `state.tags`. */
function tagsOf(state: EcsState, ctx: RequestContext, arn: string): Tag[] {
  const type = /^arn:aws:ecs:[^:]+:\d+:([a-z-]+)\//.exec(arn)?.[1];
  const notFound = () => new AwsError('ResourceNotFoundException', 'The specified resource could not be found.');
  if (type === 'cluster') {
    const cluster = findCluster(state, ctx, arn);
    if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster.tags;
  }
  if (type === 'service') {
    const service = state.services.get(arn);
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    return service.tags;
  }
  if (type === 'task') {
    const task = state.tasks.get(arn);
    if (!task) throw notFound();
    return task.tags;
  }
  if (type === 'task-definition') {
    const tags = state.tags.get(arn);
    if (!tags) throw notFound();
    return tags;
  }
  throw invalidParameter('The ARN provided is invalid.');
}

export const taskDefinitionHandlers: Record<string, JsonHandler> = {
  RegisterTaskDefinition(input, ctx) {
    const state = ecsState(ctx.world);
    const td = registerTaskDefinition(state, ctx, input);
    ctx.world.lagging.start('unknownNewTaskDefinition', td.taskDefinitionArn);
    return { taskDefinition: td, tags: state.tags.get(td.taskDefinitionArn) };
  },

  DescribeTaskDefinition(input: { taskDefinition?: string; include?: string[] }, ctx) {
    const state = ecsState(ctx.world);
    const td = requireVisibleTaskDefinition(state, ctx, input.taskDefinition, 'DescribeTaskDefinition');
    return {
      taskDefinition: td,
      tags: input.include?.includes('TAGS') ? state.tags.get(td.taskDefinitionArn) : undefined,
    };
  },

  ListTaskDefinitions(
    input: { familyPrefix?: string; status?: string; sort?: string; maxResults?: number; nextToken?: string },
    ctx,
  ) {
    const state = ecsState(ctx.world);
    const status = input.status ?? 'ACTIVE';
    if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status))
      throw invalidParameter(`Invalid status: ${status}`);
    const all: TaskDefinition[] = [];
    for (const [key, revisions] of state.families) {
      if (!key.startsWith(`${ctx.region}/`)) continue;
      // Despite its name, familyPrefix is the full family name (as the API reference says).
      if (input.familyPrefix !== undefined && key !== `${ctx.region}/${input.familyPrefix}`) continue;
      all.push(...revisions.filter((td) => td.status === status));
    }
    all.sort((a, b) => (a.family === b.family ? a.revision - b.revision : a.family < b.family ? -1 : 1));
    if (input.sort === 'DESC') all.reverse();
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return { taskDefinitionArns: page.map((td) => td.taskDefinitionArn), nextToken };
  },

  ListTaskDefinitionFamilies(
    input: { familyPrefix?: string; status?: string; maxResults?: number; nextToken?: string },
    ctx,
  ) {
    const state = ecsState(ctx.world);
    const status = input.status ?? 'ACTIVE';
    const families = [...state.families]
      .filter(([key]) => key.startsWith(`${ctx.region}/`))
      .filter(([, revisions]) => status === 'ALL' || revisions.some((td) => td.status === status))
      .map(([key]) => key.slice(ctx.region.length + 1))
      .filter((family) => input.familyPrefix === undefined || family.startsWith(input.familyPrefix))
      .sort();
    const { page, nextToken } = paginate(families, input.maxResults, input.nextToken);
    return { families: page, nextToken };
  },

  DeregisterTaskDefinition(input: { taskDefinition?: string }, ctx) {
    if (!input.taskDefinition || !/:\d+$/.test(input.taskDefinition)) {
      throw clientException('The specified task definition must include a revision.');
    }
    const td = requireTaskDefinition(ecsState(ctx.world), ctx, input.taskDefinition);
    if (td.status === 'ACTIVE') {
      td.status = 'INACTIVE';
      td.deregisteredAt = new Date(ctx.world.now());
    }
    return { taskDefinition: td };
  },

  TagResource(input: { resourceArn?: string; tags?: Tag[] }, ctx) {
    const tags = tagsOf(ecsState(ctx.world), ctx, input.resourceArn ?? '');
    for (const tag of input.tags ?? []) {
      const existing = tags.find((t) => t.key === tag.key);
      if (existing) existing.value = tag.value;
      else tags.push({ key: tag.key, value: tag.value });
    }
    if (tags.length > 50) throw invalidParameter('Too many tags: at most 50 tags are allowed per resource.');
    return {};
  },

  UntagResource(input: { resourceArn?: string; tagKeys?: string[] }, ctx) {
    const tags = tagsOf(ecsState(ctx.world), ctx, input.resourceArn ?? '');
    const keep = tags.filter((t) => !input.tagKeys?.includes(t.key));
    tags.splice(0, tags.length, ...keep);
    return {};
  },

  ListTagsForResource(input: { resourceArn?: string }, ctx) {
    return { tags: tagsOf(ecsState(ctx.world), ctx, input.resourceArn ?? '') };
  },
};
