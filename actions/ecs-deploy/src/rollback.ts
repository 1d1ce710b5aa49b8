import * as core from '@shipyard/platform/core';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { formatDuration } from '@shipyard/platform/duration';
import {
  primaryTaskDefinition,
  ServiceEventStream,
  type DeploymentSnapshot,
  type DeploymentTarget,
} from '@shipyard/ecs/deployments';
import {
  describePatiently,
  startEveryRollback,
  type RollbackStep,
  type StartedRollback,
} from '@shipyard/ecs/rollback/start';
import { chooseRollbackMethod, type CurrentDeployment, type RollbackMethod } from '@shipyard/ecs/rollback/target';
import { watchRollbacksToEnd } from '@shipyard/ecs/rollback/watch';
import type { DrainDelays } from '@shipyard/ecs/drain';
import { eventLine, progressLine } from '@shipyard/ecs/watch';
import { describeError } from '@shipyard/platform/errors';
import { revisionName } from './register';

// Puts services back on their last known-good revision with the rollback steps of @shipyard/ecs/rollback (the
// rollback action starts and watches its rollbacks the same way): a deployment still in flight is stopped with
// ROLLBACK (ECS moves traffic back to the revision that still runs), one ECS is already rolling back is waited for,
// otherwise the known-good revision is redeployed.
// Used after a failure and by the post step after a cancellation.

export interface RollbackRequest {
  /** The deployment that failed or must be undone. */
  target: DeploymentTarget;
  /** The revision the service ran before this deployment. */
  previousTaskDefinitionArn: string;
  knownGood?: string;
}

export type RollbackOutcome = 'rolled-back' | 'rollback-failed';

export interface RollbackResult {
  service: string;
  outcome: RollbackOutcome;
  /** What happened, in one line. */
  detail: string;
  /** The revision the service ends on, when known. */
  taskDefinitionArn?: string;
}

const HOW: Record<RollbackMethod, string> = {
  none: 'already back',
  stop: 'stopped with ROLLBACK',
  await: 'ECS rolled back',
  update: 'redeployed',
};

/** Our deployment as the shared rollback rules see it: it went from the previous revision to ours. */
function ourDeployment(request: RollbackRequest, snapshot: DeploymentSnapshot): CurrentDeployment | undefined {
  const sd = snapshot.serviceDeployment;
  if (!sd || !request.target.serviceDeploymentArn) return undefined;
  return {
    serviceDeploymentArn: request.target.serviceDeploymentArn,
    status: sd.status,
    createdAt: sd.createdAt,
    targetTaskDefinition: request.target.taskDefinitionArn,
    sourceTaskDefinitions: [request.previousTaskDefinitionArn],
  };
}

interface Started {
  request: RollbackRequest;
  knownGood: string;
  rollback: StartedRollback;
}

/**
 * The services as they are before the rollback starts, tried again after passing faults. When they cannot be read
 * the snapshots are empty: each service is then redeployed on its known-good revision, which is right either way.
 */
async function describeBeforeRollback(
  ecs: ECSClient,
  cluster: string,
  requests: RollbackRequest[],
  signal: AbortSignal | undefined,
): Promise<Map<string, DeploymentSnapshot>> {
  try {
    return await describePatiently(
      ecs,
      cluster,
      requests.map((r) => r.target),
      signal,
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    core.warning(
      `The services could not be read before rolling back (${describeError(error)}); redeploying each one's known-good revision`,
    );
    return new Map();
  }
}

/** The way back for one service: the step to start, or the result when there is none. */
function planStep(
  request: RollbackRequest,
  snapshot: DeploymentSnapshot,
  redeploy: boolean,
): { step: RollbackStep; knownGood: string } | RollbackResult {
  const { service } = request.target;
  const knownGood = request.knownGood;
  if (!knownGood) {
    return {
      service,
      outcome: 'rollback-failed',
      detail: 'no known-good revision to roll back to',
      taskDefinitionArn: primaryTaskDefinition(snapshot.service),
    };
  }
  const current = ourDeployment(request, snapshot);
  const method = redeploy
    ? 'update'
    : chooseRollbackMethod(knownGood, primaryTaskDefinition(snapshot.service), current);
  core.info(
    `${service}: back to ${revisionName(knownGood)}: ${HOW[method]}${current?.status ? ` (the deployment is ${current.status})` : ''}`,
  );
  return { step: { service, taskDefinitionArn: knownGood, method, current, before: snapshot.service }, knownGood };
}

interface RollbackOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  eventStreams?: Map<string, ServiceEventStream>;
  /** What the watch's deciding look just showed of every service to roll back: the first way back starts from it
   * instead of reading the services again. */
  seen?: Map<string, DeploymentSnapshot>;
  /** The step's drains (the watch's, so each target group is read once). */
  drains?: DrainDelays;
}

/** A first way back that ended elsewhere, which redeploying the known-good revision can still mend. */
type Attempt = RollbackResult & { mendable?: boolean };

/**
 * Rolls every requested service back at once and waits until each is stable on its known-good revision. A stop or
 * a wait that ends elsewhere (the deployment finished before the stop took, ECS went back somewhere else) is
 * followed by one more way back: UpdateService to the known-good revision, watched the same way.
 */
export async function rollBack(
  ecs: ECSClient,
  cluster: string,
  requests: RollbackRequest[],
  options: RollbackOptions,
): Promise<RollbackResult[]> {
  const first = await attempt(ecs, cluster, requests, options, false);
  const again = requests.filter((r) => first.find((a) => a.service === r.target.service)?.mendable);
  const second = again.length ? await attempt(ecs, cluster, again, options, true) : [];
  const results = first.map(({ mendable: _, ...result }) => {
    const mended = second.find((s) => s.service === result.service);
    return mended ? { ...mended, detail: `${result.detail}; then ${mended.detail}` } : result;
  });
  for (const result of results) core.info(`${result.service}: ${result.outcome} — ${result.detail}`);
  return results;
}

async function attempt(
  ecs: ECSClient,
  cluster: string,
  requests: RollbackRequest[],
  options: RollbackOptions,
  redeploy: boolean,
): Promise<Attempt[]> {
  if (requests.length === 0) return [];
  const { seen } = options;
  const snapshots =
    !redeploy && seen && requests.every((r) => seen.has(r.target.service))
      ? seen
      : await describeBeforeRollback(ecs, cluster, requests, options.signal);
  const plans = requests.map((request) => planStep(request, snapshots.get(request.target.service) ?? {}, redeploy));
  const steps = plans.flatMap((plan) => ('step' in plan ? [plan.step] : []));
  const outcomes = await startEveryRollback(ecs, cluster, steps, { signal: options.signal });
  const begun = requests.map((request, index): Started | RollbackResult => {
    const plan = plans[index];
    if (!('step' in plan)) return plan;
    const outcome = outcomes[steps.indexOf(plan.step)];
    if ('started' in outcome) return { request, knownGood: plan.knownGood, rollback: outcome.started };
    return {
      service: request.target.service,
      outcome: 'rollback-failed',
      detail: describeError(outcome.error),
      taskDefinitionArn: primaryTaskDefinition(snapshots.get(request.target.service)?.service),
    };
  });
  const watched = begun.filter(
    (b): b is Started & { rollback: { target: DeploymentTarget } } => 'rollback' in b && !!b.rollback.target,
  );
  // Events already shown (by the watch, or before this step started) are not shown again.
  const eventStreams = new Map(options.eventStreams);
  for (const [service, snapshot] of snapshots) {
    if (!eventStreams.has(service)) eventStreams.set(service, new ServiceEventStream(snapshot.service?.events));
  }
  const { last: latest, end } = watched.length
    ? await watchRollbacksToEnd({
        ecs,
        cluster,
        targets: watched.map((w) => w.rollback.target),
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        eventStreams,
        // What ECS is already doing was just seen: its wait starts from that look.
        seen: new Map(
          watched.flatMap((w) => {
            const snapshot = snapshots.get(w.request.target.service);
            return w.rollback.method === 'await' && snapshot ? [[w.request.target.service, snapshot]] : [];
          }),
        ),
        onEvent: (service, event) => core.info(eventLine(service, event)),
        drains: options.drains,
      })
    : { last: new Map(), end: { kind: 'settled' as const } };
  if (end.kind === 'cancelled') throw end.error;
  const timedOut = end.kind === 'timed-out';
  const watchError = end.kind === 'broken' ? `could not be watched: ${describeError(end.error)}` : undefined;
  return begun.map((b): Attempt => {
    if (!('rollback' in b)) return b;
    const service = b.request.target.service;
    const how = HOW[b.rollback.method];
    if (!b.rollback.target)
      return {
        service,
        outcome: 'rolled-back',
        detail: `${how} on ${revisionName(b.knownGood)}`,
        taskDefinitionArn: b.knownGood,
      };
    const entry = latest.get(service);
    const final = primaryTaskDefinition(entry?.snapshot.service);
    if (entry?.verdict.state === 'succeeded') {
      return {
        service,
        outcome: 'rolled-back',
        detail: `${how}, now on ${revisionName(final)}`,
        taskDefinitionArn: final,
      };
    }
    const why = timedOut
      ? `timed out after ${formatDuration(options.timeoutMs)} (${entry ? progressLine(entry.snapshot) : 'not described'})`
      : entry?.verdict.state === 'failed'
        ? entry.verdict.reason
        : (watchError ?? 'not finished');
    const mendable = !redeploy && !timedOut && !watchError && b.rollback.method !== 'update';
    return { service, outcome: 'rollback-failed', detail: `${how}, but ${why}`, taskDefinitionArn: final, mendable };
  });
}
