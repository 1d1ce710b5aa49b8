import {
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceEvent,
} from '@aws-sdk/client-ecs';
import { isInFlightStatus } from './ecs-rollback-target';

// How Shipyard reads an ECS deployment: success means *our* deployment reached SUCCESSFUL/COMPLETED and the service's
// primary revision is ours — never "the service is stable" (which is also true after a circuit-breaker rollback,
// the false success of the official action's issue #191). Loads the ECS SDK: import lazily.

/** One deployment being watched. */
export interface DeploymentTarget {
  service: string;
  /** The revision the deployment puts in place. */
  taskDefinitionArn: string;
  /** `deployments[].id` (ecs-svc/…): the rolling view. */
  deploymentId?: string;
  /** The service deployment ARN: the service-deployment API view (status, lifecycle stage, hooks). */
  serviceDeploymentArn?: string;
}

/** What one poll saw of a service. */
export interface DeploymentSnapshot {
  service?: Service;
  serviceDeployment?: ServiceDeployment;
  /** Why the service itself could not be described (MISSING, INACTIVE). */
  missing?: string;
}

/** Whether ECS itself is rolling the failed deployment back (circuit breaker, alarms, a ROLLBACK stop or hook). */
export type EcsRollback = 'none' | 'in-progress' | 'succeeded' | 'failed';

export type Verdict =
  { state: 'in-progress' } | { state: 'succeeded' } | { state: 'failed'; reason: string; ecsRollback: EcsRollback };

const ROLLBACK_STATES: Record<string, EcsRollback> = {
  ROLLBACK_REQUESTED: 'in-progress',
  ROLLBACK_IN_PROGRESS: 'in-progress',
  ROLLBACK_SUCCESSFUL: 'succeeded',
  ROLLBACK_FAILED: 'failed',
};

/** The task definition of the service's PRIMARY deployment (what new tasks run). */
export function primaryTaskDefinition(service: Service | undefined): string | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? service?.taskDefinition;
}

/** Judges one deployment from one snapshot. Pure. */
export function judgeDeployment(target: DeploymentTarget, snapshot: DeploymentSnapshot): Verdict {
  if (snapshot.missing) return { state: 'failed', reason: snapshot.missing, ecsRollback: 'none' };
  const sd = snapshot.serviceDeployment;
  if (sd?.status) {
    const reason = sd.statusReason ? `: ${sd.statusReason}` : '';
    if (isInFlightStatus(sd.status)) return { state: 'in-progress' };
    if (sd.status === 'SUCCESSFUL') return primaryIsOurs(target, snapshot.service);
    const ecsRollback = ROLLBACK_STATES[sd.status] ?? 'none';
    return { state: 'failed', reason: `service deployment ${sd.status}${reason}`, ecsRollback };
  }
  return judgeFromDeployments(target, snapshot.service);
}

function primaryIsOurs(target: DeploymentTarget, service: Service | undefined): Verdict {
  const primary = primaryTaskDefinition(service);
  if (primary && primary !== target.taskDefinitionArn) {
    return {
      state: 'failed',
      reason: `the deployment finished but the service's primary revision is ${primary}, not ${target.taskDefinitionArn}`,
      ecsRollback: 'none',
    };
  }
  return { state: 'succeeded' };
}

/** The rolling view, for services without a service deployment to read: deployments[] and rolloutState. */
function judgeFromDeployments(target: DeploymentTarget, service: Service | undefined): Verdict {
  const deployments = service?.deployments ?? [];
  const ours = target.deploymentId
    ? deployments.find((d) => d.id === target.deploymentId)
    : deployments.find((d) => d.taskDefinition === target.taskDefinitionArn);
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (!ours) {
    return {
      state: 'failed',
      reason: `the deployment is gone; the service now runs ${primary?.taskDefinition}`,
      ecsRollback: 'none',
    };
  }
  if (ours.rolloutState === 'FAILED') {
    const reason = `rollout FAILED${ours.rolloutStateReason ? `: ${ours.rolloutStateReason}` : ''}`;
    const rollingBack = primary && primary !== ours && primary.taskDefinition !== target.taskDefinitionArn;
    const ecsRollback: EcsRollback = !rollingBack
      ? 'none'
      : primary.rolloutState === 'COMPLETED'
        ? 'succeeded'
        : 'in-progress';
    return { state: 'failed', reason, ecsRollback };
  }
  if (ours.status !== 'PRIMARY') {
    return {
      state: 'failed',
      reason: `a newer deployment replaced it (${primary?.taskDefinition})`,
      ecsRollback: 'none',
    };
  }
  if (ours.rolloutState === 'COMPLETED') return { state: 'succeeded' };
  // Services without rollout states (no circuit breaker data): stable when ours is the only one and fully running.
  if (!ours.rolloutState && deployments.length === 1 && ours.runningCount === ours.desiredCount)
    return { state: 'succeeded' };
  return { state: 'in-progress' };
}

/**
 * The revision a service is stable on right now, if it is: its only deployment is PRIMARY and COMPLETED. This is
 * the last known-good revision when read before a deploy (a circuit-breaker rollback leaves the rolled-back-to
 * deployment COMPLETED, so this holds after failed deploys too).
 */
export function stableTaskDefinition(service: Service | undefined): string | undefined {
  const deployments = service?.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (!primary || primary.rolloutState !== 'COMPLETED' || deployments.some((d) => d !== primary && d.runningCount)) {
    return undefined;
  }
  return primary.taskDefinition;
}

/**
 * The newest revision whose service deployment completed (SUCCESSFUL), skipping `exclude` (e.g. the revision being
 * replaced when it is the bad one) — never "revision − 1". Undefined when the history holds none.
 */
export async function lastSuccessfulRevision(
  ecs: ECSClient,
  options: { cluster: string; service: string; exclude?: string[]; before?: Date },
): Promise<string | undefined> {
  const { cluster, service, before } = options;
  const listed = await ecs.send(
    new ListServiceDeploymentsCommand({
      cluster,
      service,
      status: ['SUCCESSFUL'],
      createdAt: before ? { before } : undefined,
      maxResults: 20,
    }),
  );
  const briefs = (listed.serviceDeployments ?? [])
    .filter((b) => b.targetServiceRevisionArn)
    .sort(
      (a, b) =>
        (b.finishedAt ?? b.createdAt ?? new Date(0)).getTime() - (a.finishedAt ?? a.createdAt ?? new Date(0)).getTime(),
    );
  if (briefs.length === 0) return undefined;
  const revisions = await ecs.send(
    new DescribeServiceRevisionsCommand({
      serviceRevisionArns: briefs.map((b) => b.targetServiceRevisionArn as string),
    }),
  );
  const taskDefinitionOf = new Map(
    (revisions.serviceRevisions ?? []).map((r) => [r.serviceRevisionArn, r.taskDefinition]),
  );
  return briefs
    .map((b) => taskDefinitionOf.get(b.targetServiceRevisionArn))
    .find((taskDefinition): taskDefinition is string => !!taskDefinition && !options.exclude?.includes(taskDefinition));
}

/**
 * Streams service events: remembers what was already seen and returns only new ones, oldest first. ECS lists events
 * newest first and keeps the last 100.
 */
export class ServiceEventStream {
  private readonly seen = new Set<string>();

  constructor(initial: ServiceEvent[] = []) {
    for (const event of initial) this.seen.add(eventKey(event));
  }

  next(events: ServiceEvent[] | undefined): ServiceEvent[] {
    const fresh = (events ?? []).filter((event) => !this.seen.has(eventKey(event)));
    for (const event of fresh) this.seen.add(eventKey(event));
    return fresh.reverse();
  }
}

function eventKey(event: ServiceEvent): string {
  return event.id ?? `${event.createdAt?.getTime()}:${event.message}`;
}
