import { AwsError } from '../errors';
import type { JsonHandler } from '../protocols/json';
import { checkRunnable } from './ecs-services';
import {
  ecsState,
  invalidParameter,
  paginate,
  requireCluster,
  requireService,
  requireVisibleTaskDefinition,
  tasksOf,
  type Tag,
} from './ecs-state';
import { launchTask, renderTask, stopTask } from './ecs-task-lifecycle';

const MAX_OVERRIDES_CHARS = 8192;
const MAX_STARTED_BY = 36;

interface RunTaskInput {
  cluster?: string;
  taskDefinition?: string;
  count?: number;
  launchType?: string;
  capacityProviderStrategy?: { capacityProvider?: string }[];
  networkConfiguration?: unknown;
  overrides?: { containerOverrides?: { name?: string }[] } & Record<string, unknown>;
  startedBy?: string;
  group?: string;
  tags?: Tag[];
  propagateTags?: string;
  clientToken?: string;
}

const taskArnFor = (clusterArn: string, ref: string) =>
  ref.startsWith('arn:') ? ref : `${clusterArn.replace(':cluster/', ':task/')}/${ref}`;

export const taskHandlers: Record<string, JsonHandler> = {
  RunTask(input: RunTaskInput, ctx) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    // ECS_Idempotency: the same client token and parameters answer the tasks the first request started.
    const { clientToken, ...request } = input;
    const earlier = clientToken ? state.runTaskTokens.get(clientToken) : undefined;
    if (earlier) {
      if (earlier.request !== JSON.stringify(request))
        throw new AwsError('ConflictException', 'The client token was used with different parameters.');
      return { tasks: earlier.taskArns.map((arn) => renderTask(state.tasks.get(arn)!, true)), failures: [] };
    }
    if (!input.taskDefinition) throw invalidParameter('taskDefinition must be specified.');
    const td = requireVisibleTaskDefinition(state, ctx, input.taskDefinition, 'RunTask');
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) throw invalidParameter('count must be between 1 and 10.');
    if (input.startedBy !== undefined && input.startedBy.length > MAX_STARTED_BY) {
      throw invalidParameter(`startedBy must be ${MAX_STARTED_BY} characters or fewer.`);
    }
    if (input.overrides && JSON.stringify(input.overrides).length > MAX_OVERRIDES_CHARS) {
      throw invalidParameter(`Container Overrides length must be at most ${MAX_OVERRIDES_CHARS}`);
    }
    for (const override of input.overrides?.containerOverrides ?? []) {
      if (!td.containerDefinitions.some((c) => c.name === override.name)) {
        throw invalidParameter(
          `Override for container named ${override.name} is not a container in the TaskDefinition.`,
        );
      }
    }
    const fargateProvider = input.capacityProviderStrategy?.some((s) => s.capacityProvider?.startsWith('FARGATE'));
    const launchType = input.launchType ?? (fargateProvider ? 'FARGATE' : 'EC2');
    checkRunnable(td, launchType, input.networkConfiguration);
    const unplaceable = td.containerDefinitions
      .map((c) => ctx.world.scenarios.find(c.image).placementFailure)
      .find(Boolean);
    if (unplaceable) {
      return {
        tasks: [],
        failures: Array.from({ length: count }, () => ({ arn: td.taskDefinitionArn, reason: unplaceable })),
      };
    }
    const tags =
      input.propagateTags === 'TASK_DEFINITION'
        ? [...(state.tags.get(td.taskDefinitionArn) ?? []), ...(input.tags ?? [])]
        : input.tags;
    const tasks = Array.from({ length: count }, () =>
      launchTask(ctx.world, {
        clusterArn: cluster.clusterArn,
        region: cluster.region,
        taskDefinition: td,
        group: input.group ?? `family:${td.family}`,
        launchType,
        startedBy: input.startedBy,
        overrides: input.overrides,
        tags,
        oneOff: true,
      }),
    );
    if (clientToken)
      state.runTaskTokens.set(clientToken, { request: JSON.stringify(request), taskArns: tasks.map((t) => t.taskArn) });
    for (const task of tasks) ctx.world.lagging.start('missingNewTask', task.taskArn);
    return { tasks: tasks.map((t) => renderTask(t, true)), failures: [] };
  },

  DescribeTasks(input: { cluster?: string; tasks?: string[]; include?: string[] }, ctx) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    const refs = input.tasks ?? [];
    if (refs.length === 0) throw invalidParameter('Tasks cannot be empty.');
    if (refs.length > 100) throw invalidParameter('tasks can have at most 100 items.');
    const includeTags = input.include?.includes('TAGS') ?? false;
    const tasks = [];
    const failures = [];
    for (const ref of refs) {
      const arn = taskArnFor(cluster.clusterArn, ref);
      const task = state.tasks.get(arn);
      const visible = task && !ctx.world.lagging.read('missingNewTask', arn, 'DescribeTasks');
      if (visible && task.clusterArn === cluster.clusterArn) tasks.push(renderTask(task, includeTags));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { tasks, failures };
  },

  StopTask(input: { cluster?: string; task?: string; reason?: string }, ctx) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    const task = input.task ? state.tasks.get(taskArnFor(cluster.clusterArn, input.task)) : undefined;
    if (!task) throw new AwsError('InvalidParameterException', 'The referenced task was not found.');
    if (input.reason !== undefined && input.reason.length > 255)
      throw invalidParameter('reason must be 255 characters or fewer.');
    stopTask(ctx.world, task, 'UserInitiated', input.reason ?? 'Task stopped by user');
    return { task: renderTask(task) };
  },

  ListTasks(
    input: {
      cluster?: string;
      family?: string;
      startedBy?: string;
      serviceName?: string;
      desiredStatus?: string;
      launchType?: string;
      maxResults?: number;
      nextToken?: string;
    },
    ctx,
  ) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    const service = input.serviceName ? requireService(state, cluster, input.serviceName, false) : undefined;
    const desiredStatus = input.desiredStatus ?? 'RUNNING';
    if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desiredStatus))
      throw invalidParameter(`Invalid desiredStatus: ${desiredStatus}`);
    const arns = tasksOf(
      state,
      (t) =>
        t.clusterArn === cluster.clusterArn &&
        (desiredStatus === 'PENDING' ? t.lastStatus === 'PENDING' : t.desiredStatus === desiredStatus) &&
        (!service || t.serviceArn === service.serviceArn) &&
        (!input.family || t.taskDefinitionArn.includes(`:task-definition/${input.family}:`)) &&
        (!input.startedBy || t.startedBy === input.startedBy) &&
        (!input.launchType || t.launchType === input.launchType),
    ).map((t) => t.taskArn);
    const { page, nextToken } = paginate(arns, input.maxResults, input.nextToken);
    return { taskArns: page, nextToken };
  },
};
