import type { World } from '../world';
import {
  ecsState,
  ids,
  nameOf,
  type ContainerState,
  type Tag,
  type Task,
  type TaskDefinition,
  type TaskEvent,
} from './ecs-state';
import { deregistrationDelayMs } from './elbv2-target-groups';
import { createLogGroup, createLogStream, findLogGroup, writeContainerLog } from './logs-store';

/** Simulated durations of the parts of a task's life that no scenario decides. */
export const TASK_TIMING = {
  defaultStartSeconds: 10,
  defaultHealthCheckSeconds: 15,
  defaultOneOff: { exitCode: 0, afterSeconds: 20 },
  /** SIGTERM to STOPPED for a task that is asked to stop. */
  stopGraceMs: 5_000,
  /** Stopped tasks stay visible to DescribeTasks this long, then are MISSING. */
  stoppedRetentionMs: 3_600_000,
};

/** Exit code of a process ended by the SIGTERM that ECS sends when it stops a task. */
const SIGTERM_EXIT_CODE = 143;

export interface LaunchSpec {
  clusterArn: string;
  region: string;
  taskDefinition: TaskDefinition;
  group: string;
  launchType: string;
  startedBy?: string;
  overrides?: Record<string, unknown>;
  tags?: Tag[];
  oneOff: boolean;
  service?: {
    serviceArn: string;
    deploymentId: string;
    revisionArn: string;
    target?: Task['target'];
    graceSeconds?: number;
  };
  onEvent?: (task: Task, event: TaskEvent) => void;
  /** Seeding: the task is already RUNNING and healthy. */
  alreadyRunning?: boolean;
}

function awslogsTarget(def: TaskDefinition['containerDefinitions'][number], region: string, taskId: string) {
  if (def.logConfiguration?.logDriver !== 'awslogs') return undefined;
  const options = def.logConfiguration.options ?? {};
  const prefix = options['awslogs-stream-prefix'];
  return {
    region: options['awslogs-region'] ?? region,
    group: options['awslogs-group'],
    stream: prefix ? `${prefix}/${def.name}/${taskId}` : taskId,
    createGroup: options['awslogs-create-group'] === 'true',
  };
}

export function launchTask(world: World, spec: LaunchSpec): Task {
  const id = ids.task();
  const now = new Date(world.now());
  const containers: ContainerState[] = spec.taskDefinition.containerDefinitions.map((definition) => ({
    name: definition.name,
    image: definition.image,
    essential: definition.essential !== false,
    lastStatus: 'PENDING',
    healthStatus: 'UNKNOWN',
    definition,
    scenario: world.scenarios.find(definition.image),
    log: awslogsTarget(definition, spec.region, id),
  }));
  const task: Task = {
    taskArn: `arn:aws:ecs:${spec.region}:${world.accountId}:task/${nameOf(spec.clusterArn)}/${id}`,
    id,
    clusterArn: spec.clusterArn,
    region: spec.region,
    taskDefinitionArn: spec.taskDefinition.taskDefinitionArn,
    group: spec.group,
    startedBy: spec.startedBy,
    launchType: spec.launchType,
    lastStatus: 'PENDING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    createdAt: now,
    pullStartedAt: now,
    containers,
    cpu: spec.taskDefinition.cpu,
    memory: spec.taskDefinition.memory,
    overrides: spec.overrides ?? {},
    tags: spec.tags ?? [],
    oneOff: spec.oneOff,
    healthy: false,
    failed: false,
    serviceArn: spec.service?.serviceArn,
    deploymentId: spec.service?.deploymentId,
    revisionArn: spec.service?.revisionArn,
    target: spec.service?.target,
    healthCheckGraceSeconds: spec.service?.graceSeconds ?? 0,
    onEvent: spec.onEvent,
  };
  ecsState(world).tasks.set(task.taskArn, task);
  if (spec.alreadyRunning) {
    startContainers(world, task, true);
  } else {
    const startSeconds = Math.max(...containers.map((c) => c.scenario.startSeconds ?? TASK_TIMING.defaultStartSeconds));
    world.after(startSeconds * 1000, () => startContainers(world, task, false));
  }
  return task;
}

/** Why the awslogs driver cannot start, if it cannot; creates groups (when allowed) and streams otherwise. */
function prepareLogs(world: World, task: Task): string | undefined {
  for (const { log } of task.containers) {
    if (!log) continue;
    let group = findLogGroup(world, log.region, log.group);
    if (!group && !log.createGroup) {
      return (
        'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: ' +
        'failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1'
      );
    }
    group ??= createLogGroup(world, log.region, log.group);
    if (!group.streams.has(log.stream)) createLogStream(world, group, log.stream);
  }
  return undefined;
}

function startContainers(world: World, task: Task, seeded: boolean): void {
  if (task.desiredStatus === 'STOPPED') return;
  // A seeded task is already running: its image was pulled.
  const unpullable = seeded ? undefined : task.containers.find((c) => c.scenario.pull === 'fail');
  if (unpullable) {
    unpullable.reason =
      `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ` +
      `${unpullable.image}: ${unpullable.image}: not found`;
    finishTask(world, task, { stopCode: 'TaskFailedToStart', reason: unpullable.reason, failed: true });
    return;
  }
  const logFailure = prepareLogs(world, task);
  if (logFailure && seeded) {
    throw new Error(
      `aws-sim seed: ${task.taskDefinitionArn} logs to a log group that does not exist; seed it under "logs.logGroups" or set awslogs-create-group`,
    );
  }
  if (logFailure) {
    finishTask(world, task, { stopCode: 'TaskFailedToStart', reason: logFailure, failed: true });
    return;
  }
  const now = new Date(world.now());
  task.pullStoppedAt = now;
  task.startedAt = now;
  task.lastStatus = 'RUNNING';
  for (const container of task.containers) {
    container.lastStatus = 'RUNNING';
    scheduleContainer(world, task, container);
  }
  if (seeded) {
    markHealthy(task, true);
    return;
  }
  // Service tasks count as healthy only after their checks pass (or, without checks, after staying up as long):
  // a container that crashes soon after starting fails the deployment instead of completing it.
  if (!task.serviceArn && !task.containers.some((c) => c.definition.healthCheck)) return;
  const verdictSeconds = Math.max(
    ...task.containers.map((c) => c.scenario.healthCheckSeconds ?? TASK_TIMING.defaultHealthCheckSeconds),
    task.target ? task.healthCheckGraceSeconds : 0,
  );
  world.after(verdictSeconds * 1000, () => healthVerdict(world, task));
}

function markHealthy(task: Task, seeded: boolean): void {
  task.healthy = true;
  if (task.containers.some((c) => c.definition.healthCheck)) {
    task.healthStatus = 'HEALTHY';
    for (const c of task.containers) if (c.definition.healthCheck) c.healthStatus = 'HEALTHY';
  }
  if (!seeded) task.onEvent?.(task, 'healthy');
}

/** A container's own behaviour once running: its exit (crash, or a one-off's end) and its log lines. */
function scheduleContainer(world: World, task: Task, container: ContainerState): void {
  const { scenario } = container;
  // A one-off task's essential containers finish their job; a sidecar without its own `oneOff` runs until stopped.
  const oneOffExit =
    task.oneOff && (scenario.oneOff || container.essential)
      ? (scenario.oneOff ?? TASK_TIMING.defaultOneOff)
      : undefined;
  const exit =
    scenario.crash && (!oneOffExit || scenario.crash.afterSeconds < oneOffExit.afterSeconds)
      ? scenario.crash
      : oneOffExit;
  if (exit) world.after(exit.afterSeconds * 1000, () => containerExited(world, task, container, exit.exitCode));
  const lines = scenario.logs ?? [];
  const log = container.log;
  if (!log || lines.length === 0) return;
  const spanMs = (exit?.afterSeconds ?? scenario.healthCheckSeconds ?? TASK_TIMING.defaultHealthCheckSeconds) * 1000;
  lines.forEach((line, i) => {
    world.after((spanMs * i) / lines.length, () => {
      if (container.lastStatus === 'RUNNING') writeContainerLog(world, log.region, log.group, log.stream, line);
    });
  });
}

function healthVerdict(world: World, task: Task): void {
  if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return;
  for (const c of task.containers) {
    if (c.definition.healthCheck && c.lastStatus === 'RUNNING') {
      c.healthStatus = c.scenario.health === 'unhealthy' ? 'UNHEALTHY' : 'HEALTHY';
    }
  }
  const containerUnhealthy = task.containers.some((c) => c.essential && c.healthStatus === 'UNHEALTHY');
  if (task.containers.some((c) => c.definition.healthCheck))
    task.healthStatus = containerUnhealthy ? 'UNHEALTHY' : 'HEALTHY';
  const targetContainer = task.containers.find((c) => c.name === task.target?.containerName);
  const elbUnhealthy = targetContainer?.scenario.health === 'unhealthy';
  // Only services replace unhealthy tasks; a standalone task just reports its health.
  if (!task.serviceArn) return;
  if (elbUnhealthy) {
    const targetGroup = task.target?.targetGroupArn ?? 'unknown';
    stopTask(
      world,
      task,
      'ServiceSchedulerInitiated',
      `Task failed ELB health checks in (target-group ${targetGroup})`,
      true,
    );
  } else if (containerUnhealthy) {
    stopTask(world, task, 'ServiceSchedulerInitiated', 'Task failed container health checks', true);
  } else {
    markHealthy(task, false);
  }
}

function containerExited(world: World, task: Task, container: ContainerState, exitCode: number): void {
  if (container.lastStatus !== 'RUNNING') return;
  container.lastStatus = 'STOPPED';
  container.exitCode = exitCode;
  if (!container.essential) return;
  // For a service an essential container exiting is a failure whatever its code; for RunTask it is the end.
  finishTask(world, task, {
    stopCode: 'EssentialContainerExited',
    reason: 'Essential container in task exited',
    failed: task.serviceArn !== undefined,
  });
}

/**
 * Asks a task to stop (StopTask, the service scheduler, a failed health check). A task that never started stops at
 * once; a running one is drained (behind a load balancer: for its target group's deregistration delay), sent SIGTERM,
 * and STOPPED after the grace period.
 */
export function stopTask(world: World, task: Task, stopCode: string, reason: string, failed = false): void {
  if (task.desiredStatus === 'STOPPED') return;
  task.desiredStatus = 'STOPPED';
  task.stopCode = stopCode;
  task.stoppedReason = reason;
  task.stoppingAt = new Date(world.now());
  task.healthy = false;
  if (task.lastStatus === 'PENDING') {
    finishTask(world, task, { stopCode, reason, failed });
    return;
  }
  task.lastStatus = 'DEACTIVATING';
  const drain = failed ? 0 : deregistrationDelayMs(world, task.target?.targetGroupArn);
  world.after(drain + TASK_TIMING.stopGraceMs, () => finishTask(world, task, { stopCode, reason, failed }));
}

function finishTask(world: World, task: Task, outcome: { stopCode: string; reason: string; failed: boolean }): void {
  if (task.lastStatus === 'STOPPED') return;
  const now = new Date(world.now());
  task.desiredStatus = 'STOPPED';
  task.lastStatus = 'STOPPED';
  task.stopCode ??= outcome.stopCode;
  task.stoppedReason ??= outcome.reason;
  task.stoppingAt ??= now;
  task.stoppedAt = now;
  task.healthy = false;
  task.failed = outcome.failed;
  for (const container of task.containers) {
    if (container.lastStatus === 'RUNNING') {
      container.exitCode = SIGTERM_EXIT_CODE;
    }
    container.lastStatus = 'STOPPED';
  }
  world.milestone('task', task.taskArn, 'STOPPED');
  world.after(TASK_TIMING.stoppedRetentionMs, () => ecsState(world).tasks.delete(task.taskArn));
  task.onEvent?.(task, 'stopped');
}

/** The DescribeTasks shape of a task. */
export function renderTask(task: Task, includeTags = false) {
  const fargate = task.launchType === 'FARGATE';
  return {
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group: task.group,
    startedBy: task.startedBy,
    launchType: task.launchType,
    platformVersion: fargate ? '1.4.0' : undefined,
    platformFamily: fargate ? 'Linux' : undefined,
    availabilityZone: `${task.region}a`,
    connectivity: task.lastStatus === 'PENDING' ? undefined : 'CONNECTED',
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: task.healthStatus,
    cpu: task.cpu,
    memory: task.memory,
    createdAt: task.createdAt,
    pullStartedAt: task.pullStartedAt,
    pullStoppedAt: task.pullStoppedAt,
    startedAt: task.startedAt,
    stoppingAt: task.stoppingAt,
    stoppedAt: task.stoppedAt,
    executionStoppedAt: task.stoppedAt,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    containers: task.containers.map((c) => ({
      containerArn: `${task.taskArn.replace(':task/', ':container/')}/${c.name}`,
      taskArn: task.taskArn,
      name: c.name,
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      healthStatus: c.healthStatus,
      networkBindings: [],
      networkInterfaces: [],
    })),
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...task.overrides },
    tags: includeTags ? task.tags : undefined,
    version: 1,
  };
}
