import type { World } from '../world';
import {
  ecsState,
  ids,
  tasksOf,
  type DeploymentConfiguration,
  type EcsState,
  type Service,
  type ServiceDeploymentRecord,
  type ServiceDeploymentStatus,
  type ServiceRevision,
  type TaskDefinition,
} from './ecs-state';

/** Service revisions and service deployments: the history AWS keeps for every deployment, rolling ones included. */

const FINAL: ServiceDeploymentStatus[] = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

export const isFinal = (sd: ServiceDeploymentRecord) => FINAL.includes(sd.status);

export function createRevision(world: World, service: Service, td: TaskDefinition): ServiceRevision {
  const revision: ServiceRevision = {
    serviceRevisionArn: `${service.serviceArn.replace(':service/', ':service-revision/')}/${ids.digits(19)}`,
    serviceArn: service.serviceArn,
    clusterArn: service.clusterArn,
    taskDefinition: td.taskDefinitionArn,
    launchType: service.launchType,
    platformVersion: service.platformVersion,
    loadBalancers: structuredClone(service.loadBalancers),
    networkConfiguration: service.networkConfiguration,
    containerImages: td.containerDefinitions.map((c) => ({ containerName: c.name, image: c.image })),
    createdAt: new Date(world.now()),
  };
  ecsState(world).revisions.set(revision.serviceRevisionArn, revision);
  return revision;
}

/** The circuit breaker's failure threshold: 50% of the desired count by default, bounded to 3..200. */
export function circuitBreakerThreshold(config: DeploymentConfiguration, desiredCount: number): number {
  const threshold = config.deploymentCircuitBreaker?.thresholdConfiguration;
  if (threshold?.type === 'COUNT') return threshold.value ?? 3;
  const computed = Math.ceil((desiredCount * (threshold?.value ?? 50)) / 100);
  return threshold?.type === 'UNBOUNDED_PERCENT' ? Math.max(1, computed) : Math.min(200, Math.max(3, computed));
}

export function createServiceDeployment(
  world: World,
  service: Service,
  opts: { targetRevisionArn: string; sourceRevisionArns: string[]; deploymentId: string; blueGreen: boolean },
): ServiceDeploymentRecord {
  const now = new Date(world.now());
  const config = structuredClone(service.deploymentConfiguration);
  const breaker = config.deploymentCircuitBreaker;
  const alarms = config.alarms;
  const sd: ServiceDeploymentRecord = {
    serviceDeploymentArn: `${service.serviceArn.replace(':service/', ':service-deployment/')}/${ids.alphanumeric(21)}`,
    serviceArn: service.serviceArn,
    clusterArn: service.clusterArn,
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    sourceRevisionArns: opts.sourceRevisionArns,
    targetRevisionArn: opts.targetRevisionArn,
    status: 'IN_PROGRESS',
    hookDetails: [],
    deploymentConfiguration: config,
    circuitBreaker: breaker?.enable
      ? { status: 'MONITORING', failureCount: 0, threshold: circuitBreakerThreshold(config, service.desiredCount) }
      : { status: 'DISABLED', failureCount: 0, threshold: 0 },
    alarms: alarms?.enable
      ? { status: 'MONITORING', alarmNames: alarms.alarmNames ?? [], triggeredAlarmNames: [] }
      : { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
    weights: {},
    deploymentId: opts.deploymentId,
    generation: 0,
  };
  if (opts.blueGreen) {
    sd.weights[opts.targetRevisionArn] = { production: 0, test: 0 };
    for (const source of opts.sourceRevisionArns) sd.weights[source] = { production: 100, test: 100 };
    sd.blueGreen = { stageIndex: 0, phase: 'entering', step: 0 };
    sd.lifecycleStage = 'RECONCILE_SERVICE';
  }
  ecsState(world).serviceDeployments.set(sd.serviceDeploymentArn, sd);
  return sd;
}

/** Routes all of a listener's traffic (or both listeners') to one revision. */
export function shiftTraffic(sd: ServiceDeploymentRecord, toRevisionArn: string, listeners: ('production' | 'test')[]) {
  for (const [arn, weight] of Object.entries(sd.weights)) {
    for (const listener of listeners) weight[listener] = arn === toRevisionArn ? 100 : 0;
  }
  sd.weights[toRevisionArn] ??= { production: 0, test: 0 };
  for (const listener of listeners) sd.weights[toRevisionArn][listener] = 100;
}

export function finishServiceDeployment(
  world: World,
  sd: ServiceDeploymentRecord,
  status: ServiceDeploymentStatus,
  reason: string,
) {
  const now = new Date(world.now());
  sd.status = status;
  sd.statusReason = reason;
  sd.updatedAt = now;
  if (status === 'STOPPED') sd.stoppedAt = now;
  else sd.finishedAt = now;
  if (sd.circuitBreaker.status === 'MONITORING') sd.circuitBreaker.status = 'MONITORING_COMPLETE';
  if (sd.alarms.status === 'MONITORING') sd.alarms.status = 'MONITORING_COMPLETE';
  sd.generation++;
  delete sd.blueGreen;
  world.milestone('service-deployment', sd.serviceDeploymentArn, status);
}

function revisionSummary(state: EcsState, sd: ServiceDeploymentRecord, arn: string, desiredCount: number) {
  const tasks = tasksOf(
    state,
    (t) => t.revisionArn === arn && t.serviceArn === sd.serviceArn && t.desiredStatus === 'RUNNING',
  );
  const weight = sd.weights[arn];
  const activeTarget = arn === sd.targetRevisionArn && !isFinal(sd) && !sd.status.startsWith('ROLLBACK');
  return {
    arn,
    requestedTaskCount: activeTarget ? desiredCount : tasks.length,
    runningTaskCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTaskCount: tasks.filter((t) => t.lastStatus === 'PENDING').length,
    requestedProductionTrafficWeight: weight?.production,
    requestedTestTrafficWeight: weight?.test,
  };
}

/** The DescribeServiceDeployments shape. */
export function renderServiceDeployment(state: EcsState, sd: ServiceDeploymentRecord) {
  const desired = state.services.get(sd.serviceArn)?.desiredCount ?? 0;
  return {
    serviceDeploymentArn: sd.serviceDeploymentArn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    createdAt: sd.createdAt,
    startedAt: sd.startedAt,
    finishedAt: sd.finishedAt,
    stoppedAt: sd.stoppedAt,
    updatedAt: sd.updatedAt,
    sourceServiceRevisions: sd.sourceRevisionArns.map((arn) => revisionSummary(state, sd, arn, desired)),
    targetServiceRevision: revisionSummary(state, sd, sd.targetRevisionArn, desired),
    status: sd.status,
    statusReason: sd.statusReason,
    lifecycleStage: sd.lifecycleStage,
    lifecycleHookDetails: sd.hookDetails.length ? sd.hookDetails : undefined,
    deploymentConfiguration: sd.deploymentConfiguration,
    rollback: sd.rollback,
    deploymentCircuitBreaker: sd.circuitBreaker,
    alarms: sd.alarms,
  };
}

export function renderServiceDeploymentBrief(sd: ServiceDeploymentRecord) {
  return {
    serviceDeploymentArn: sd.serviceDeploymentArn,
    serviceArn: sd.serviceArn,
    clusterArn: sd.clusterArn,
    startedAt: sd.startedAt,
    createdAt: sd.createdAt,
    finishedAt: sd.finishedAt ?? sd.stoppedAt,
    targetServiceRevisionArn: sd.targetRevisionArn,
    status: sd.status,
    statusReason: sd.statusReason,
  };
}
