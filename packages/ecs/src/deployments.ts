import {
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type ServiceEvent,
} from '@aws-sdk/client-ecs';
import { NEW_RESOURCE_PATIENCE_MS } from '@shipyard/platform/consistency';
import * as core from '@shipyard/platform/core';
import { degradeOnDenial, serviceDeploymentReadsDenied } from './permissions';
import { isInFlightStatus } from './rollback/target';
import { describeError } from '@shipyard/platform/errors';
import { poll, PollTimeoutError, type Clock } from '@shipyard/platform/poll';

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
  /**
   * The `deployments[].id`s the service had before the deployment was started: a DescribeServices answer listing
   * only these predates it (ECS is eventually consistent), which says nothing about the deployment yet.
   */
  priorDeploymentIds?: string[];
  /** A way back a rollback started (UpdateService to the known-good revision): its PAUSE hooks are answered with
   * CONTINUE, since nobody else will, and a hook left waiting times out into a rollback to the revision undone. */
  wayBack?: boolean;
  /** The target groups the service's tasks leave when replaced (drain.ts): their deregistration delay says how long
   * old tasks drain. Learned from the service's answers when not given. */
  targetGroupArns?: string[];
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
  /** `unseen`: the service's answer predates the deployment, so it cannot be judged yet (see priorDeploymentIds). */
  | { state: 'in-progress'; unseen?: string }
  | { state: 'succeeded' }
  | { state: 'failed'; reason: string; ecsRollback: EcsRollback };

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

/** The in-progress verdict for a DescribeServices answer that shows only deployments older than ours, if it does. */
function notYetVisible(target: DeploymentTarget, service: Service | undefined): Verdict | undefined {
  const prior = target.priorDeploymentIds;
  const ids = (service?.deployments ?? []).map((d) => d.id);
  if (!prior || ids.length === 0 || !ids.every((id) => id !== undefined && prior.includes(id))) return undefined;
  return { state: 'in-progress', unseen: `DescribeServices still shows ${target.service} as it was before the update` };
}

function primaryIsOurs(target: DeploymentTarget, service: Service | undefined): Verdict {
  const primary = primaryTaskDefinition(service);
  if (primary && primary !== target.taskDefinitionArn) {
    const unseen = notYetVisible(target, service);
    if (unseen) return unseen;
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
    const unseen = notYetVisible(target, service);
    if (unseen) return unseen;
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

export interface StartedServiceDeploymentOptions {
  cluster: string;
  service: string;
  /** The service's currentServiceDeployment before the call. */
  before: string | undefined;
  /** The service in UpdateService's answer. */
  answer: Service | undefined;
  /** When the call went out (runner clock). */
  startedAt: Date;
  /** Whether the call starts a deployment (a new revision, forceNewDeployment), so one is worth waiting for. */
  expectNew: boolean;
  clock?: Clock;
}

/**
 * The service deployment an UpdateService call started: its answer's currentServiceDeployment when that changed,
 * else the newest one listed as created since the call — the answer may still name the one it replaced, and the
 * list may not show the new one yet (ECS is eventually consistent), so it is listed again for up to
 * NEW_RESOURCE_PATIENCE_MS when one is expected. Undefined when none can be read (the role may not list service
 * deployments, a call failed, or none showed up): the watch then follows the rolling view.
 */
export async function startedServiceDeployment(
  ecs: ECSClient,
  options: StartedServiceDeploymentOptions,
): Promise<string | undefined> {
  const { cluster, service, before } = options;
  const arn = options.answer?.currentServiceDeployment;
  if (arn && arn !== before) return arn;
  if (serviceDeploymentReadsDenied(ecs)) return undefined;
  const newest = async () => {
    const listed = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster,
        service,
        createdAt: { after: new Date(options.startedAt.getTime() - 1000) },
      }),
    );
    const briefs = listed.serviceDeployments ?? [];
    // The runner's clock is not ECS's: when the replaced deployment is listed, only one created after it (by ECS's
    // own timestamps) is new — an older one listed because of clock skew would be a false success.
    const replacedAt = briefs.find((d) => d.serviceDeploymentArn === before)?.createdAt?.getTime();
    return briefs
      .filter((d) => d.serviceDeploymentArn !== before)
      .filter((d) => replacedAt === undefined || (d.createdAt?.getTime() ?? 0) > replacedAt)
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0]?.serviceDeploymentArn;
  };
  const instead = "following the service's deployments instead";
  try {
    return await poll<string | undefined>({
      describe: newest,
      isDone: (found) => found !== undefined || !options.expectNew,
      timeoutMs: NEW_RESOURCE_PATIENCE_MS,
      clock: options.clock,
      waitingFor: `the new service deployment of ${service} to be listed`,
    });
  } catch (error) {
    if (error instanceof PollTimeoutError) core.info(`${service}: ${error.message}; ${instead}`);
    else if (!degradeOnDenial(ecs, 'ecs:ListServiceDeployments', error))
      core.info(`${service}: the new service deployment could not be read (${describeError(error)}); ${instead}`);
    return undefined;
  }
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
