import * as core from '@shipyard/platform/core';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { ServiceEventStream, type DeploymentSnapshot, type DeploymentTarget } from '@shipyard/ecs/deployments';
import { shortTaskDefinition } from '@shipyard/ecs/arns';
import type { DrainDelays } from '@shipyard/ecs/drain';
import { startEveryRollback } from '@shipyard/ecs/rollback/start';
import { judgeRollback, watchRollbacksToEnd } from '@shipyard/ecs/rollback/watch';
import { progressLine } from '@shipyard/ecs/watch';
import { describeError } from '@shipyard/platform/errors';
import type { Clock } from '@shipyard/platform/poll';
import { describeExpectation, verifyUrls } from '@shipyard/ecs/verify';
import type { Inputs } from './inputs';
import type { ServicePlan } from './plan';
import { describeMethod, type Report } from './report';

// Phases 2–4: make the one mutating call per service (all services at once), wait until every rollback is
// judged, then verify the URLs. Each service's outcome is written into its report entry.

export interface StartedService {
  plan: ServicePlan;
  target: DeploymentTarget;
  startedAt: number;
  /** The last snapshot seen while watching: events and state for the explanation. */
  snapshot?: DeploymentSnapshot;
}

/** Starts every service's rollback in parallel; a service whose call fails is marked failed, the others go on. */
export async function startRollbacks(
  ecs: ECSClient,
  cluster: string,
  plans: ServicePlan[],
  signal?: AbortSignal,
): Promise<StartedService[]> {
  const moving = plans.filter((plan) => plan.entry.method !== 'none');
  for (const plan of plans)
    if (plan.entry.method === 'none') core.info(`${plan.entry.service}: already on the target.`);
  const startedAt = Date.now();
  const outcomes = await startEveryRollback(
    ecs,
    cluster,
    moving.map(({ entry, target, current, service }) => ({
      service: entry.service,
      taskDefinitionArn: target.taskDefinition.taskDefinitionArn,
      method: entry.method ?? 'update',
      current,
      before: service,
    })),
    { signal },
  );
  return outcomes.flatMap((outcome, index): StartedService[] => {
    const plan = moving[index];
    const { entry } = plan;
    if ('error' in outcome) {
      entry.result = 'failed';
      entry.reason = describeError(outcome.error);
      core.warning(`${entry.service}: the rollback could not start: ${entry.reason}`);
      return [];
    }
    const started = outcome.started;
    entry.method = started.method;
    entry.result = 'started';
    core.info(`${entry.service}: ${describeMethod(started.method)} → ${shortTaskDefinition(entry.toArn)}`);
    return started.target ? [{ plan, target: started.target, startedAt }] : [];
  });
}

/** Judges one service from its last snapshot; `interrupted` says why the watch ended early (timeout, a broken watch),
 * and is the reason when the service was never seen. */
function settle(service: StartedService, snapshot: DeploymentSnapshot | undefined, interrupted?: string): void {
  const { entry } = service.plan;
  const verdict = snapshot ? judgeRollback(service.target, snapshot) : undefined;
  service.snapshot = snapshot;
  entry.durationMs = Date.now() - service.startedAt;
  if (verdict?.state === 'succeeded') {
    entry.result = 'succeeded';
  } else {
    entry.result = 'failed';
    entry.reason =
      verdict?.state === 'failed'
        ? verdict.reason
        : snapshot
          ? `${interrupted} (${progressLine(snapshot)})`
          : `${interrupted ?? 'not seen'}`;
  }
}

/** Waits until every started rollback is stable on its target or failed; the timeout fails those still going. */
export async function waitForRollbacks(
  ecs: ECSClient,
  inputs: Pick<Inputs, 'cluster' | 'timeoutMs'>,
  started: StartedService[],
  signal: AbortSignal,
  clock?: Clock,
  drains?: DrainDelays,
): Promise<void> {
  if (started.length === 0) return;
  const lastProgress = new Map<string, string>();
  const { last, end } = await watchRollbacksToEnd({
    ecs,
    cluster: inputs.cluster,
    targets: started.map((s) => s.target),
    timeoutMs: inputs.timeoutMs,
    signal,
    clock,
    drains,
    eventStreams: new Map(started.map((s) => [s.target.service, new ServiceEventStream(s.plan.events)])),
    onEvent: (service, event) => core.info(`${service}: ${event.message}`),
    onUpdate: (target, watched) => {
      const line = progressLine(watched.snapshot);
      if (lastProgress.get(target.service) === line) return;
      lastProgress.set(target.service, line);
      core.info(`${target.service}: ${line}`);
    },
  });
  if (end.kind === 'broken') {
    // Each rollback stays unconfirmed.
    for (const service of started) settle(service, undefined, `could not be watched: ${describeError(end.error)}`);
    return;
  }
  if (end.kind === 'settled') {
    for (const service of started) settle(service, last.get(service.target.service)?.snapshot ?? {});
    return;
  }
  for (const service of started) settle(service, last.get(service.target.service)?.snapshot, end.error.message);
  if (end.kind === 'cancelled') throw end.error;
}

/** The services to explain: the failed ones, or every started one when the verification failed. */
export function failuresToExplain(
  started: StartedService[],
  report: Pick<Report, 'verification'>,
): { service: StartedService; reason: string }[] {
  if (report.verification?.passed === false) {
    return started.map((service) => ({ service, reason: `verification failed: ${report.verification?.reason}` }));
  }
  return started.flatMap((service) => {
    const { result, reason } = service.plan.entry;
    return result === 'failed' ? [{ service, reason: reason ?? 'failed' }] : [];
  });
}

/** Checks the URLs once every service is back; the outcome goes into the report. */
export async function verifyRollback(
  verify: Inputs['verify'],
  report: Pick<Report, 'verification'>,
  signal: AbortSignal,
): Promise<boolean> {
  core.info(`Expecting ${describeExpectation(verify.expectation)} from ${verify.urls.join(', ')}.`);
  const result = await verifyUrls({
    ...verify,
    signal,
    onRound: (round, checks) => {
      for (const check of checks) {
        core.info(`  check ${round}: ${check.url} ${check.outcome.ok ? 'ok' : check.outcome.reason}`);
      }
    },
  });
  report.verification = { urls: verify.urls, passed: result.passed, reason: result.reason };
  return result.passed;
}
