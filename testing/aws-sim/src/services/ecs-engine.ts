import type { World } from '../world';
import { beginBlueGreen, reconcileBlueGreen, type EngineOps } from './ecs-blue-green';
import { addEvent, messages } from './ecs-events';
import { reconcileRolling } from './ecs-rolling';
import {
  circuitBreakerThreshold,
  createRevision,
  createServiceDeployment,
  finishServiceDeployment,
  isFinal,
  shiftTraffic,
} from './ecs-service-deployments';
import {
  ecsState,
  findTaskDefinition,
  ids,
  tasksOf,
  type Deployment,
  type Service,
  type ServiceDeploymentRecord,
  type Task,
  type TaskDefinition,
  type TaskEvent,
} from './ecs-state';
import { launchTask, stopTask } from './ecs-task-lifecycle';

/**
 * The ECS service scheduler: turns deployments into task launches and stops, watches tasks for the circuit
 * breaker, completes, fails and rolls back deployments. Rolling deployments are handled here; blue/green
 * (linear, canary) stages live in ecs-blue-green.ts and call back through `EngineOps`.
 */

const RELAUNCH_BACKOFF_MS = 10_000;
const PLACEMENT_RETRY_MS = 60_000;

const serviceTasks = (world: World, service: Service, predicate: (task: Task) => boolean) =>
  tasksOf(ecsState(world), (t) => t.serviceArn === service.serviceArn && predicate(t));
const live = (world: World, service: Service, deploymentId: string) =>
  serviceTasks(world, service, (t) => t.deploymentId === deploymentId && t.desiredStatus === 'RUNNING');
const othersLive = (world: World, service: Service, deploymentId: string) =>
  serviceTasks(world, service, (t) => t.deploymentId !== deploymentId && t.desiredStatus === 'RUNNING');
const othersRemaining = (world: World, service: Service, deploymentId: string) =>
  serviceTasks(world, service, (t) => t.deploymentId !== deploymentId && t.lastStatus !== 'STOPPED');

function stopScheduled(world: World, service: Service, tasks: Task[], reason: string): void {
  if (tasks.length === 0) return;
  service.steady = false;
  for (const task of tasks) stopTask(world, task, 'ServiceSchedulerInitiated', reason);
  addEvent(world, service, messages.stopped(service, tasks));
}

/** One reconcile when the back-off ends, however often launches were refused meanwhile. */
function scheduleRetry(world: World, service: Service, deployment: Deployment): void {
  if (deployment.retryAt === deployment.launchNotBefore) return;
  deployment.retryAt = deployment.launchNotBefore;
  world.at(deployment.launchNotBefore, () => reconcile(world, service));
}

/** Launches up to `count` tasks for a deployment, honouring the back-off after failures. */
function launchFor(
  world: World,
  service: Service,
  deployment: Deployment,
  count: number,
  alreadyRunning = false,
): void {
  if (count <= 0) return;
  const now = world.now();
  if (now < deployment.launchNotBefore) {
    scheduleRetry(world, service, deployment);
    return;
  }
  const td = findTaskDefinition(
    ecsState(world),
    { region: service.region, accountId: world.accountId },
    deployment.taskDefinition,
  )!;
  const unplaceable = td.containerDefinitions
    .map((c) => world.scenarios.find(c.image).placementFailure)
    .find((reason) => reason);
  if (unplaceable) {
    addEvent(world, service, messages.unplaceable(service, unplaceable));
    deployment.launchNotBefore = now + PLACEMENT_RETRY_MS;
    scheduleRetry(world, service, deployment);
    return;
  }
  const lb = service.loadBalancers[0];
  const propagated = { SERVICE: service.tags, TASK_DEFINITION: ecsState(world).tags.get(td.taskDefinitionArn) };
  const tags = propagated[service.propagateTags as keyof typeof propagated] ?? [];
  const tasks: Task[] = [];
  for (let i = 0; i < count; i++) {
    tasks.push(
      launchTask(world, {
        clusterArn: service.clusterArn,
        region: service.region,
        taskDefinition: td,
        group: `service:${service.serviceName}`,
        launchType: service.launchType ?? (td.requiresCompatibilities?.includes('FARGATE') ? 'FARGATE' : 'EC2'),
        startedBy: deployment.id,
        tags: structuredClone(tags),
        oneOff: false,
        alreadyRunning,
        service: {
          serviceArn: service.serviceArn,
          deploymentId: deployment.id,
          revisionArn: deployment.revisionArn,
          target: lb?.containerName
            ? { containerName: lb.containerName, containerPort: lb.containerPort, targetGroupArn: lb.targetGroupArn }
            : undefined,
          graceSeconds: service.healthCheckGracePeriodSeconds,
        },
        onEvent: (task, event) => onTaskEvent(world, service, task, event),
      }),
    );
  }
  service.steady = false;
  addEvent(world, service, messages.started(service, tasks));
}

function newDeployment(
  world: World,
  service: Service,
  opts: { id?: string; taskDefinition: string; revisionArn: string; serviceDeploymentArn: string; reason?: string },
): Deployment {
  const now = new Date(world.now());
  const id = opts.id ?? ids.deployment();
  const deployment: Deployment = {
    id,
    status: 'PRIMARY',
    taskDefinition: opts.taskDefinition,
    desiredCount: service.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    networkConfiguration: service.networkConfiguration,
    capacityProviderStrategy: service.capacityProviderStrategy,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: opts.reason ?? `ECS deployment ${id} in progress.`,
    serviceDeploymentArn: opts.serviceDeploymentArn,
    revisionArn: opts.revisionArn,
    launchNotBefore: 0,
  };
  for (const other of service.deployments) other.status = 'ACTIVE';
  service.deployments.unshift(deployment);
  service.taskDefinition = opts.taskDefinition;
  service.steady = false;
  return deployment;
}

/** Starts a deployment of `td` (CreateService, UpdateService, seeding with `steady`). */
export function startDeployment(world: World, service: Service, td: TaskDefinition, steady = false): Deployment {
  const state = ecsState(world);
  const previous = service.currentServiceDeployment
    ? state.serviceDeployments.get(service.currentServiceDeployment)
    : undefined;
  if (previous && !isFinal(previous)) {
    finishServiceDeployment(
      world,
      previous,
      'STOPPED',
      'Service deployment stopped because a newer service deployment started.',
    );
  }
  const running = serviceTasks(world, service, (t) => t.desiredStatus === 'RUNNING');
  const sources = [...new Set(running.map((t) => t.revisionArn!))];
  const revision = createRevision(world, service, td);
  const id = ids.deployment();
  const strategy = service.deploymentConfiguration.strategy ?? 'ROLLING';
  const blueGreen = strategy !== 'ROLLING' && sources.length > 0 && !steady;
  const sd = createServiceDeployment(world, service, {
    targetRevisionArn: revision.serviceRevisionArn,
    sourceRevisionArns: sources,
    deploymentId: id,
    blueGreen,
  });
  const deployment = newDeployment(world, service, {
    id,
    taskDefinition: td.taskDefinitionArn,
    revisionArn: revision.serviceRevisionArn,
    serviceDeploymentArn: sd.serviceDeploymentArn,
  });
  service.currentServiceDeployment = sd.serviceDeploymentArn;
  if (steady) {
    launchFor(world, service, deployment, service.desiredCount, true);
    completeDeployment(world, service, deployment);
    return deployment;
  }
  if (blueGreen) beginBlueGreen(world, service, sd, engineOps(world));
  reconcile(world, service);
  return deployment;
}

function completeDeployment(world: World, service: Service, deployment: Deployment): void {
  const state = ecsState(world);
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = new Date(world.now());
  service.lastCompleted = {
    deploymentId: deployment.id,
    taskDefinition: deployment.taskDefinition,
    revisionArn: deployment.revisionArn,
  };
  service.deployments = [deployment];
  const sd = state.serviceDeployments.get(deployment.serviceDeploymentArn);
  if (sd?.status === 'ROLLBACK_IN_PROGRESS') {
    finishServiceDeployment(world, sd, 'ROLLBACK_SUCCESSFUL', sd.statusReason ?? 'Service deployment rolled back.');
  } else if (sd && !isFinal(sd)) {
    if (Object.keys(sd.weights).length) shiftTraffic(sd, deployment.revisionArn, ['production', 'test']);
    finishServiceDeployment(world, sd, 'SUCCESSFUL', 'Service deployment completed successfully.');
  }
  world.milestone('deployment', deployment.id, 'COMPLETED');
  addEvent(world, service, messages.completed(service, deployment.id));
  addEvent(world, service, messages.steady(service));
  service.steady = true;
}

/**
 * Returns the service to the revision the deployment started from, as a new deployment of that revision. A rolling
 * rollback launches fresh tasks; a blue/green one takes over the old revision's tasks, which still run.
 */
export function rollBack(
  world: World,
  service: Service,
  sd: ServiceDeploymentRecord,
  reason: string,
  byCircuitBreaker = false,
): void {
  const state = ecsState(world);
  const sourceArn = sd.sourceRevisionArns[0];
  const source = sourceArn ? state.revisions.get(sourceArn) : undefined;
  const failing = service.deployments[0];
  if (!source) {
    finishServiceDeployment(world, sd, 'STOPPED', reason);
    return;
  }
  const now = new Date(world.now());
  sd.status = 'ROLLBACK_IN_PROGRESS';
  sd.statusReason = reason;
  sd.updatedAt = now;
  sd.rollback = { reason, startedAt: now, serviceRevisionArn: source.serviceRevisionArn };
  sd.generation++;
  delete sd.blueGreen;
  if (Object.keys(sd.weights).length) shiftTraffic(sd, source.serviceRevisionArn, ['production', 'test']);
  if (failing.rolloutState === 'IN_PROGRESS') {
    failing.rolloutState = 'FAILED';
    failing.rolloutStateReason = `ECS deployment ${failing.id} rolled back.`;
  }
  const fromId =
    service.lastCompleted?.revisionArn === source.serviceRevisionArn ? service.lastCompleted.deploymentId : failing.id;
  const rollback = newDeployment(world, service, {
    taskDefinition: source.taskDefinition,
    revisionArn: source.serviceRevisionArn,
    serviceDeploymentArn: sd.serviceDeploymentArn,
    reason: `${byCircuitBreaker ? 'ECS deployment circuit breaker: ' : ''}rolling back to deploymentId ${fromId}.`,
  });
  if (Object.keys(sd.weights).length) {
    // Blue/green: the old revision still runs and takes the traffic back at once, so its tasks are kept.
    for (const task of tasksOf(
      state,
      (t) => t.serviceArn === service.serviceArn && t.revisionArn === source.serviceRevisionArn,
    )) {
      if (task.desiredStatus === 'RUNNING') task.deploymentId = rollback.id;
    }
  }
  addEvent(world, service, messages.rollingBack(service, fromId));
  reconcile(world, service);
}

/** StopServiceDeployment ABORT: the deployment stops where it is; nothing is launched, stopped or shifted. */
export function abort(world: World, service: Service, sd: ServiceDeploymentRecord): void {
  const deployment = service.deployments.find((d) => d.serviceDeploymentArn === sd.serviceDeploymentArn);
  if (deployment) {
    deployment.frozen = true;
    if (deployment.rolloutState === 'IN_PROGRESS') {
      deployment.rolloutState = 'FAILED';
      deployment.rolloutStateReason = `ECS deployment ${deployment.id} stopped.`;
    }
  }
  finishServiceDeployment(world, sd, 'STOPPED', 'Service deployment stopped by a StopServiceDeployment request.');
}

function tripCircuitBreaker(world: World, service: Service, deployment: Deployment, sd: ServiceDeploymentRecord): void {
  deployment.rolloutState = 'FAILED';
  deployment.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  deployment.updatedAt = new Date(world.now());
  sd.circuitBreaker.status = 'TRIGGERED';
  world.milestone('deployment', deployment.id, 'FAILED');
  addEvent(world, service, messages.failed(service, deployment.id));
  if (sd.status === 'ROLLBACK_IN_PROGRESS') {
    finishServiceDeployment(
      world,
      sd,
      'ROLLBACK_FAILED',
      'Service deployment rollback failed because the circuit breaker threshold was exceeded.',
    );
  } else if (service.deploymentConfiguration.deploymentCircuitBreaker?.rollback) {
    rollBack(
      world,
      service,
      sd,
      'Service deployment rolled back because the circuit breaker threshold was exceeded.',
      true,
    );
    return;
  } else {
    finishServiceDeployment(
      world,
      sd,
      'STOPPED',
      'Service deployment stopped because the circuit breaker threshold was exceeded.',
    );
  }
  reconcile(world, service);
}

function onTaskEvent(world: World, service: Service, task: Task, event: TaskEvent): void {
  const deployment = service.deployments.find((d) => d.id === task.deploymentId);
  if (event === 'stopped' && task.failed && deployment) {
    deployment.launchNotBefore = world.now() + RELAUNCH_BACKOFF_MS;
    const healthEvent = messages.healthCheckFailed(service, task);
    if (healthEvent) addEvent(world, service, healthEvent);
    const sd = ecsState(world).serviceDeployments.get(deployment.serviceDeploymentArn);
    if (deployment.rolloutState === 'IN_PROGRESS' && sd && !isFinal(sd)) {
      deployment.failedTasks++;
      deployment.updatedAt = new Date(world.now());
      const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
      if (breaker?.enable) {
        sd.circuitBreaker.failureCount++;
        const tripped =
          deployment.failedTasks >= circuitBreakerThreshold(service.deploymentConfiguration, service.desiredCount);
        if (tripped && deployment === service.deployments[0]) {
          tripCircuitBreaker(world, service, deployment, sd);
          return;
        }
      }
    }
  }
  reconcile(world, service);
}

/**
 * Deployments that are no longer PRIMARY and have no task left disappear from DescribeServices; a FAILED one stays
 * until the deployment that replaced it completes, so the failure can be seen.
 */
function pruneDrained(world: World, service: Service): void {
  const [primary, ...rest] = service.deployments;
  if (!primary) return;
  const remaining = othersRemaining(world, service, primary.id);
  const keep = (d: Deployment) =>
    remaining.some((t) => t.deploymentId === d.id) ||
    (d.rolloutState === 'FAILED' && primary.rolloutState === 'IN_PROGRESS');
  service.deployments = [primary, ...rest.filter(keep)];
}

const reconciling = new WeakMap<Service, { again: boolean }>();

/** Brings a service's tasks in line with its deployments. Re-entrant calls (a stop that finishes at once) are folded. */
export function reconcile(world: World, service: Service): void {
  const running = reconciling.get(service);
  if (running) {
    running.again = true;
    return;
  }
  const flag = { again: true };
  reconciling.set(service, flag);
  try {
    while (flag.again) {
      flag.again = false;
      const primary = service.deployments[0];
      if (!primary || service.status !== 'ACTIVE') break;
      const sd = ecsState(world).serviceDeployments.get(primary.serviceDeploymentArn);
      if (sd?.blueGreen) reconcileBlueGreen(world, service, sd, primary, engineOps(world));
      else reconcileRolling(world, service, primary, engineOps(world));
      pruneDrained(world, service);
    }
  } finally {
    reconciling.delete(service);
  }
}

export function engineOps(world: World): EngineOps {
  return {
    live: (service, deploymentId) => live(world, service, deploymentId),
    othersLive: (service, deploymentId) => othersLive(world, service, deploymentId),
    othersRemaining: (service, deploymentId) => othersRemaining(world, service, deploymentId),
    launch: (service, deployment, count) => launchFor(world, service, deployment, count),
    stop: (service, tasks, reason) => stopScheduled(world, service, tasks, reason),
    complete: (service, deployment) => completeDeployment(world, service, deployment),
    rollBack: (service, sd, reason) => rollBack(world, service, sd, reason),
    reconcile: (service) => reconcile(world, service),
  };
}
