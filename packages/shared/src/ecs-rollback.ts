import {
  ContinueServiceDeploymentCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  judgeDeployment,
  primaryTaskDefinition,
  startedServiceDeployment,
  type DeploymentSnapshot,
  type DeploymentTarget,
  type Verdict,
} from './ecs-deployments';
import { isInFlightStatus, type CurrentDeployment, type RollbackMethod } from './ecs-rollback-target';
import { describeDeployments, watchDeployments, type WatchOptions, type WatchedDeployment } from './ecs-watch';
import * as core from './core';
import { describeError, isAccessDenied } from './errors';
import { retryPassing, type Clock, type RetryOptions } from './poll';

// Putting a service back on a chosen revision and judging the outcome: stop the deployment in flight with ROLLBACK
// when that lands on the target (instant while both revisions run), otherwise UpdateService. Success means the
// service is stable on the target — which, unlike for a deploy, is also what a ROLLBACK_SUCCESSFUL deployment
// means. Loads the ECS SDK: import lazily.

export interface RollbackStep {
  service: string;
  /** The target task definition ARN. */
  taskDefinitionArn: string;
  method: RollbackMethod;
  current?: CurrentDeployment;
  /** The service as described before the rollback: what a DescribeServices answer that predates it looks like. */
  before?: Service;
}

export interface StartedRollback {
  /** What to watch; undefined for method `none`. */
  target?: DeploymentTarget;
  /** The method used: a `stop` becomes an `update` when the deployment finished before it could be stopped. */
  method: RollbackMethod;
}

function primaryDeploymentId(service: Service | undefined): string | undefined {
  return service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
}

/** How long a way back keeps trying a call that fails with a passing fault (throttling, 5xx, a dropped connection)
 * before it gives up and says what the user must do. */
export const ROLLBACK_CALL_PATIENCE_MS = 60_000;
/** Errors other than passing faults a rollback's watch goes on after, before it reports the rollback unconfirmed. */
const ROLLBACK_TOLERATED_ERRORS = 3;

async function update(
  ecs: ECSClient,
  cluster: string,
  step: RollbackStep,
  retry: RetryOptions,
): Promise<StartedRollback> {
  const startedAt = new Date();
  const response = await retryPassing(
    () =>
      ecs.send(new UpdateServiceCommand({ cluster, service: step.service, taskDefinition: step.taskDefinitionArn })),
    retry,
  );
  // The answer may still name the service deployment this one replaced (eventually consistent): never watch that.
  const serviceDeploymentArn = await startedServiceDeployment(ecs, {
    cluster,
    service: step.service,
    before: step.before?.currentServiceDeployment ?? step.current?.serviceDeploymentArn,
    answer: response.service,
    startedAt,
    expectNew: primaryTaskDefinition(step.before) !== step.taskDefinitionArn,
    clock: retry.clock,
  });
  return {
    method: 'update',
    target: {
      service: step.service,
      taskDefinitionArn: step.taskDefinitionArn,
      deploymentId: primaryDeploymentId(response.service),
      serviceDeploymentArn,
      priorDeploymentIds: step.before?.deployments?.flatMap((d) => (d.id ? [d.id] : [])),
      wayBack: true,
    },
  };
}

/**
 * Makes the one mutating call a step needs (none for `none` and `await`). A refused stop falls back to
 * UpdateService to the target; UpdateService is tried again after passing faults for ROLLBACK_CALL_PATIENCE_MS.
 */
export async function startRollback(
  ecs: ECSClient,
  cluster: string,
  step: RollbackStep,
  options: { signal?: AbortSignal; clock?: Clock } = {},
): Promise<StartedRollback> {
  const retry: RetryOptions = {
    ...options,
    timeoutMs: ROLLBACK_CALL_PATIENCE_MS,
    onPassingError: (error) => core.info(`${step.service}: ${describeError(error)}; trying again`),
  };
  const watchCurrent = (): DeploymentTarget => ({
    service: step.service,
    taskDefinitionArn: step.taskDefinitionArn,
    serviceDeploymentArn: step.current?.serviceDeploymentArn,
  });
  switch (step.method) {
    case 'none':
      return { method: 'none' };
    case 'await':
      return { method: 'await', target: watchCurrent() };
    case 'update':
      return update(ecs, cluster, step, retry);
    case 'stop':
      try {
        await ecs.send(
          new StopServiceDeploymentCommand({
            serviceDeploymentArn: step.current?.serviceDeploymentArn,
            stopType: 'ROLLBACK',
          }),
        );
        return { method: 'stop', target: watchCurrent() };
      } catch (error) {
        // Whatever refused the stop — the deployment finished meanwhile (ConflictException), the role may not stop
        // deployments, a fault outlasted the retries — deploying the target reaches the same revision.
        core.info(`${step.service}: ${describeError(error)}; deploying the target with UpdateService instead`);
        return update(ecs, cluster, step, retry);
      }
  }
}

/**
 * Judges a rollback from one snapshot: done when the service is stable on the target — through its own deployment
 * succeeding, or through ECS rolling a deployment back onto it. Pure.
 */
export function judgeRollback(target: DeploymentTarget, snapshot: DeploymentSnapshot): Verdict {
  const verdict = judgeDeployment(target, snapshot);
  if (verdict.state !== 'failed') return verdict;
  if (verdict.ecsRollback === 'in-progress') return { state: 'in-progress' };
  if (verdict.ecsRollback !== 'succeeded') return verdict;
  const primary = snapshot.service?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
  if (primary === target.taskDefinitionArn) return { state: 'succeeded' };
  return {
    state: 'failed',
    reason: `${verdict.reason}; the service is back on ${primary}, not on ${target.taskDefinitionArn}`,
    ecsRollback: 'none',
  };
}

/**
 * Answers the PAUSE hooks of the ways back a rollback started with CONTINUE, one call per hook (ECS refuses the SDK's
 * own retries of it once the hook no longer waits). A call that fails is not made again blindly: the next look shows
 * whether the hook still waits (an answer lost on the way may have been taken), and only then is it answered again.
 */
function pauseHookAnswers(ecs: ECSClient) {
  const answering = new Set<string>();
  const calls: Promise<void>[] = [];
  return {
    look(target: DeploymentTarget, snapshot: DeploymentSnapshot): void {
      const sd = snapshot.serviceDeployment;
      const arn = target.serviceDeploymentArn;
      if (!target.wayBack || !arn || sd?.serviceDeploymentArn !== arn || !isInFlightStatus(sd.status)) return;
      for (const { hookId, targetType, status } of sd.lifecycleHookDetails ?? []) {
        if (targetType !== 'PAUSE' || status !== 'AWAITING_ACTION' || !hookId || answering.has(hookId)) continue;
        answering.add(hookId);
        core.info(`${target.service}: the way back waits at a PAUSE hook (${sd.lifecycleStage}): CONTINUE`);
        const answer = new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action: 'CONTINUE' });
        calls.push(
          ecs.send(answer).then(
            () => undefined,
            (error: unknown) => {
              core.info(`${target.service}: ContinueServiceDeployment: ${describeError(error)}`);
              if (!isAccessDenied(error)) answering.delete(hookId);
            },
          ),
        );
      }
    },
    settled: () => Promise.all(calls),
  };
}

/** watchDeployments' options; `onUpdate` receives judgeRollback's verdicts and settling is judgeRollback's. */
export type RollbackWatchOptions = Omit<WatchOptions, 'isSettled'>;

/**
 * Watches rollbacks in one poll loop until each is settled by judgeRollback; the result's verdicts are
 * judgeRollback's. Throws PollTimeoutError / PollCancelledError like watchDeployments.
 */
export async function watchRollbacks(options: RollbackWatchOptions): Promise<Map<string, WatchedDeployment>> {
  const judged = (target: DeploymentTarget, watched: WatchedDeployment): WatchedDeployment => ({
    snapshot: watched.snapshot,
    verdict: judgeRollback(target, watched.snapshot),
  });
  const byService = new Map(options.targets.map((t) => [t.service, t]));
  // isSettled only sees judgeDeployment's verdict, so each round's rollback verdict is kept here.
  const latest = new Map<string, WatchedDeployment>();
  const hooks = pauseHookAnswers(options.ecs);
  const results = await watchDeployments({
    ...options,
    waitingFor: options.waitingFor ?? 'the rollback',
    toleratedErrors: options.toleratedErrors ?? ROLLBACK_TOLERATED_ERRORS,
    isSettled: (target) => (latest.get(target.service)?.verdict.state ?? 'in-progress') !== 'in-progress',
    onUpdate: (target, watched) => {
      const entry = judged(target, watched);
      latest.set(target.service, entry);
      hooks.look(target, watched.snapshot);
      options.onUpdate?.(target, entry);
    },
  }).finally(hooks.settled);
  return new Map([...results].map(([service, watched]) => [service, judged(byService.get(service)!, watched)]));
}

/**
 * The targets' services and deployments as they are now, tried again through passing faults for
 * ROLLBACK_CALL_PATIENCE_MS: the look before a rollback starts.
 */
export function describePatiently(
  ecs: ECSClient,
  cluster: string,
  targets: DeploymentTarget[],
  signal?: AbortSignal,
): Promise<Map<string, DeploymentSnapshot>> {
  return retryPassing(() => describeDeployments(ecs, cluster, targets, undefined, () => true, signal), {
    timeoutMs: ROLLBACK_CALL_PATIENCE_MS,
    signal,
  });
}
