import type { JsonHandler } from '../protocols/json';
import type { RequestContext } from '../service';
import { reconcile, startDeployment } from './ecs-engine';
import { addEvent, messages } from './ecs-events';
import {
  clientException,
  ecsState,
  invalidParameter,
  paginate,
  requireCluster,
  requireService,
  requireTaskDefinition,
  requireVisibleTaskDefinition,
  serviceArnFor,
  tasksOf,
  type Cluster,
  type DeploymentConfiguration,
  type EcsState,
  type LoadBalancer,
  type Service,
  type Tag,
  type TaskDefinition,
} from './ecs-state';
import { stopTask, TASK_TIMING } from './ecs-task-lifecycle';
import { deregistrationDelayMs, knowServiceTargetGroups } from './elbv2-target-groups';

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const HOOK_STAGES_WITHOUT_PAUSE = ['TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT'];

type Ctx = Pick<RequestContext, 'region' | 'accountId' | 'world'>;

export interface ServiceInput {
  cluster?: string;
  serviceName?: string;
  taskDefinition?: string;
  desiredCount?: number;
  launchType?: string;
  capacityProviderStrategy?: unknown;
  platformVersion?: string;
  networkConfiguration?: unknown;
  loadBalancers?: LoadBalancer[];
  deploymentConfiguration?: DeploymentConfiguration;
  deploymentController?: { type?: string };
  healthCheckGracePeriodSeconds?: number;
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  schedulingStrategy?: string;
  tags?: Tag[];
  role?: string;
}

/** Checks that a task definition can run with the service's launch and network settings. */
export function checkRunnable(td: TaskDefinition, launchType: string | undefined, networkConfiguration: unknown): void {
  if (td.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  if (launchType === 'FARGATE' && !td.compatibilities.includes('FARGATE')) {
    throw invalidParameter('Task definition does not support launch_type FARGATE.');
  }
  if (td.networkMode === 'awsvpc' && !networkConfiguration) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
}

function checkLoadBalancers(loadBalancers: LoadBalancer[], td: TaskDefinition, strategy: string): void {
  for (const lb of loadBalancers) {
    const container = td.containerDefinitions.find((c) => c.name === lb.containerName);
    if (!container) throw invalidParameter(`The container ${lb.containerName} does not exist in the task definition.`);
    if (lb.containerPort !== undefined && !container.portMappings?.some((p) => p.containerPort === lb.containerPort)) {
      throw invalidParameter(
        `The container ${lb.containerName} did not have a container port ${lb.containerPort} defined.`,
      );
    }
    if (strategy !== 'ROLLING' && !lb.advancedConfiguration?.alternateTargetGroupArn) {
      throw invalidParameter(
        `advancedConfiguration with an alternateTargetGroupArn is required for load balancers when the deployment strategy is ${strategy}.`,
      );
    }
  }
}

function checkDeploymentConfiguration(config: DeploymentConfiguration): void {
  const strategy = config.strategy ?? 'ROLLING';
  if (!['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'].includes(strategy))
    throw invalidParameter(`Invalid deployment strategy: ${strategy}`);
  const bake = config.bakeTimeInMinutes;
  if (bake !== undefined && (!Number.isInteger(bake) || bake < 0 || bake > 1440)) {
    throw invalidParameter('bakeTimeInMinutes must be between 0 and 1440.');
  }
  for (const hook of config.lifecycleHooks ?? []) {
    if (!hook.lifecycleStages?.length)
      throw invalidParameter('lifecycleStages must be specified for a lifecycle hook.');
    if (hook.targetType === 'PAUSE' && hook.lifecycleStages.some((s) => HOOK_STAGES_WITHOUT_PAUSE.includes(s))) {
      throw invalidParameter(
        'PAUSE lifecycle hooks are not supported at the TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages.',
      );
    }
    if (hook.targetType !== 'PAUSE' && !hook.hookTargetArn) {
      throw invalidParameter('hookTargetArn must be specified for an AWS_LAMBDA lifecycle hook.');
    }
  }
}

const withDefaults = (config: DeploymentConfiguration = {}): DeploymentConfiguration => ({
  ...config,
  deploymentCircuitBreaker: config.deploymentCircuitBreaker ?? { enable: false, rollback: false },
  maximumPercent: config.maximumPercent ?? 200,
  minimumHealthyPercent: config.minimumHealthyPercent ?? 100,
  strategy: config.strategy ?? 'ROLLING',
});

export function createService(state: EcsState, ctx: Ctx, input: ServiceInput, steady = false): Service {
  const cluster = requireCluster(state, ctx, input.cluster);
  const name = input.serviceName ?? '';
  if (!SERVICE_NAME.test(name)) {
    throw invalidParameter(
      'Service name can have up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  const arn = serviceArnFor(cluster, name);
  if (state.services.get(arn)?.status === 'ACTIVE' || state.services.get(arn)?.status === 'DRAINING') {
    throw invalidParameter('Creation of service was not idempotent.');
  }
  const controller = input.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS')
    throw invalidParameter(`aws-sim models the ECS deployment controller only, not ${controller}.`);
  if (!input.taskDefinition) throw clientException('TaskDefinition can not be blank.');
  const td = requireVisibleTaskDefinition(state, ctx, input.taskDefinition, 'CreateService');
  checkRunnable(td, input.launchType, input.networkConfiguration);
  const desiredCount = input.desiredCount ?? 0;
  if (!Number.isInteger(desiredCount) || desiredCount < 0)
    throw invalidParameter('desiredCount must be a non-negative integer.');
  const deploymentConfiguration = withDefaults(input.deploymentConfiguration);
  checkDeploymentConfiguration(deploymentConfiguration);
  checkLoadBalancers(input.loadBalancers ?? [], td, deploymentConfiguration.strategy!);
  knowServiceTargetGroups(ctx.world, input.loadBalancers ?? []);
  const service: Service = {
    serviceArn: arn,
    serviceName: name,
    clusterArn: cluster.clusterArn,
    region: cluster.region,
    status: 'ACTIVE',
    desiredCount,
    taskDefinition: td.taskDefinitionArn,
    launchType: input.launchType ?? (input.capacityProviderStrategy ? undefined : 'EC2'),
    capacityProviderStrategy: input.capacityProviderStrategy,
    platformVersion: input.launchType === 'FARGATE' ? (input.platformVersion ?? 'LATEST') : input.platformVersion,
    networkConfiguration: input.networkConfiguration,
    loadBalancers: input.loadBalancers ?? [],
    deploymentConfiguration,
    deploymentController: { type: controller },
    healthCheckGracePeriodSeconds: input.healthCheckGracePeriodSeconds,
    propagateTags: input.propagateTags ?? 'NONE',
    enableECSManagedTags: input.enableECSManagedTags ?? false,
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    createdAt: new Date(ctx.world.now()),
    createdBy: `arn:aws:iam::${ctx.accountId}:root`,
    tags: input.tags ?? [],
    events: [],
    deployments: [],
    servedRequests: 0,
    steady: false,
  };
  state.services.set(arn, service);
  startDeployment(ctx.world, service, td, steady);
  return service;
}

/** UpdateService: a new deployment when what tasks run changes (or on forceNewDeployment), a rescale otherwise. */
function updateService(
  state: EcsState,
  ctx: Ctx,
  input: ServiceInput & { service?: string; forceNewDeployment?: boolean },
) {
  const cluster = requireCluster(state, ctx, input.cluster);
  const service = requireService(state, cluster, input.service);
  const td = input.taskDefinition
    ? requireVisibleTaskDefinition(state, ctx, input.taskDefinition, 'UpdateService')
    : undefined;
  const networkConfiguration = input.networkConfiguration ?? service.networkConfiguration;
  if (td) checkRunnable(td, service.launchType, networkConfiguration);
  const deploymentConfiguration = input.deploymentConfiguration
    ? withDefaults({ ...service.deploymentConfiguration, ...input.deploymentConfiguration })
    : service.deploymentConfiguration;
  checkDeploymentConfiguration(deploymentConfiguration);
  const current = requireTaskDefinition(state, ctx, service.taskDefinition);
  const loadBalancers = input.loadBalancers ?? service.loadBalancers;
  checkLoadBalancers(loadBalancers, td ?? current, deploymentConfiguration.strategy!);
  knowServiceTargetGroups(ctx.world, loadBalancers);
  if (input.desiredCount !== undefined && (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)) {
    throw invalidParameter('desiredCount must be a non-negative integer.');
  }
  const changesTasks =
    input.forceNewDeployment ||
    (td && td.taskDefinitionArn !== service.taskDefinition) ||
    (input.networkConfiguration &&
      JSON.stringify(input.networkConfiguration) !== JSON.stringify(service.networkConfiguration)) ||
    (input.loadBalancers && JSON.stringify(input.loadBalancers) !== JSON.stringify(service.loadBalancers)) ||
    (input.platformVersion && input.platformVersion !== service.platformVersion);
  service.desiredCount = input.desiredCount ?? service.desiredCount;
  service.networkConfiguration = networkConfiguration;
  service.loadBalancers = loadBalancers;
  service.deploymentConfiguration = deploymentConfiguration;
  service.platformVersion = input.platformVersion ?? service.platformVersion;
  service.healthCheckGracePeriodSeconds = input.healthCheckGracePeriodSeconds ?? service.healthCheckGracePeriodSeconds;
  service.propagateTags = input.propagateTags ?? service.propagateTags;
  service.enableExecuteCommand = input.enableExecuteCommand ?? service.enableExecuteCommand;
  if (changesTasks) {
    startDeployment(ctx.world, service, td ?? current);
  } else {
    service.deployments[0].desiredCount = service.desiredCount;
    service.steady = false;
    reconcile(ctx.world, service);
  }
  return service;
}

/** The DescribeServices shape: counts are computed from the tasks. */
export function renderService(state: EcsState, service: Service, includeTags: boolean) {
  const tasks = tasksOf(state, (t) => t.serviceArn === service.serviceArn);
  const count = (predicate: (t: (typeof tasks)[number]) => boolean) => tasks.filter(predicate).length;
  const revisions = [...new Set(tasks.filter((t) => t.desiredStatus === 'RUNNING').map((t) => t.revisionArn!))];
  return {
    serviceArn: service.serviceArn,
    serviceName: service.serviceName,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: count((t) => t.lastStatus === 'RUNNING'),
    pendingCount: count((t) => t.lastStatus === 'PENDING'),
    launchType: service.launchType,
    capacityProviderStrategy: service.capacityProviderStrategy,
    platformVersion: service.platformVersion,
    platformFamily: service.launchType === 'FARGATE' ? 'Linux' : undefined,
    taskDefinition: service.taskDefinition,
    deploymentConfiguration: service.deploymentConfiguration,
    deployments: service.deployments.map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount:
        d.status === 'PRIMARY'
          ? service.desiredCount
          : count((t) => t.deploymentId === d.id && t.desiredStatus === 'RUNNING'),
      pendingCount: count((t) => t.deploymentId === d.id && t.lastStatus === 'PENDING'),
      runningCount: count((t) => t.deploymentId === d.id && t.lastStatus === 'RUNNING'),
      failedTasks: d.failedTasks,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      launchType: d.launchType,
      platformVersion: d.platformVersion,
      networkConfiguration: d.networkConfiguration,
      capacityProviderStrategy: d.capacityProviderStrategy,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    })),
    events: service.events,
    createdAt: service.createdAt,
    createdBy: service.createdBy,
    currentServiceDeployment: service.currentServiceDeployment,
    currentServiceRevisions: revisions.map((arn) => ({
      arn,
      requestedTaskCount: count((t) => t.revisionArn === arn && t.desiredStatus === 'RUNNING'),
      runningTaskCount: count((t) => t.revisionArn === arn && t.lastStatus === 'RUNNING'),
      pendingTaskCount: count((t) => t.revisionArn === arn && t.lastStatus === 'PENDING'),
    })),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: 'REPLICA',
    deploymentController: service.deploymentController,
    tags: includeTags ? service.tags : undefined,
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
  };
}

function deleteService(state: EcsState, ctx: Ctx, cluster: Cluster, ref: string | undefined, force: boolean) {
  const service = requireService(state, cluster, ref);
  if (service.desiredCount > 0 && !force)
    throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
  service.status = 'DRAINING';
  service.desiredCount = 0;
  const live = tasksOf(state, (t) => t.serviceArn === service.serviceArn && t.desiredStatus === 'RUNNING');
  for (const task of live) stopTask(ctx.world, task, 'ServiceSchedulerInitiated', 'Service was deleted');
  addEvent(ctx.world, service, messages.draining(service, live));
  const drainMs = Math.max(
    0,
    ...service.loadBalancers.map((lb) => deregistrationDelayMs(ctx.world, lb.targetGroupArn)),
  );
  ctx.world.after(drainMs + TASK_TIMING.stopGraceMs, () => {
    service.status = 'INACTIVE';
  });
  return service;
}

export const serviceHandlers: Record<string, JsonHandler> = {
  CreateService(input: ServiceInput, ctx) {
    const state = ecsState(ctx.world);
    return { service: renderService(state, createService(state, ctx, input), true) };
  },

  UpdateService(input, ctx) {
    const { world } = ctx;
    const state = ecsState(world);
    const cluster = requireCluster(state, ctx, input.cluster);
    // What readers may still see for a while (lags): the service as it was.
    const before = structuredClone(renderService(state, requireService(state, cluster, input.service), true));
    const updated = updateService(state, ctx, input);
    world.lagging.start('staleServiceAfterUpdate', updated.serviceArn, before);
    if (updated.currentServiceDeployment !== before.currentServiceDeployment)
      world.lagging.start('unlistedNewServiceDeployment', updated.currentServiceDeployment!);
    const service = renderService(state, updated, false);
    // UpdateService is eventually consistent: its answer may still name the service deployment it replaced.
    if (world.lags.staleUpdateServiceAnswer)
      return { service: { ...service, currentServiceDeployment: before.currentServiceDeployment } };
    return { service };
  },

  DeleteService(input: { cluster?: string; service?: string; force?: boolean }, ctx) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    return {
      service: renderService(state, deleteService(state, ctx, cluster, input.service, input.force ?? false), false),
    };
  },

  DescribeServices(input: { cluster?: string; services?: string[]; include?: string[] }, ctx) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    const refs = input.services ?? [];
    if (refs.length === 0) throw invalidParameter('Services cannot be empty.');
    if (refs.length > 10) throw invalidParameter('services can have at most 10 items.');
    const includeTags = input.include?.includes('TAGS') ?? false;
    const services = [];
    const failures = [];
    for (const ref of refs) {
      const arn = serviceArnFor(cluster, ref);
      const service = state.services.get(arn);
      // Just after UpdateService, the service as it was (lags.staleServiceAfterUpdate).
      const stale = service && ctx.world.lagging.read('staleServiceAfterUpdate', arn, 'DescribeServices');
      if (stale) services.push({ ...(stale.stale as object), tags: includeTags ? service.tags : undefined });
      else if (service) services.push(renderService(state, service, includeTags));
      else failures.push({ arn: serviceArnFor(cluster, ref), reason: 'MISSING' });
    }
    return { services, failures };
  },

  ListServices(input: { cluster?: string; launchType?: string; maxResults?: number; nextToken?: string }, ctx) {
    const state = ecsState(ctx.world);
    const cluster = requireCluster(state, ctx, input.cluster);
    const arns = [...state.services.values()]
      .filter((s) => s.clusterArn === cluster.clusterArn && s.status === 'ACTIVE')
      .filter((s) => !input.launchType || s.launchType === input.launchType)
      .map((s) => s.serviceArn);
    const { page, nextToken } = paginate(arns, input.maxResults, input.nextToken);
    return { serviceArns: page, nextToken };
  },
};
