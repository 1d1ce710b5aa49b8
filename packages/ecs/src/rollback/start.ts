import { StopServiceDeploymentCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import {
  primaryTaskDefinition,
  startedServiceDeployment,
  type DeploymentSnapshot,
  type DeploymentTarget,
} from '../deployments';
import { targetGroupsOf } from '../drain';
import { describeDeployments } from '../watch';
import type { CurrentDeployment, RollbackMethod } from './target';
import * as core from '@shipyard/platform/core';
import { describeError } from '@shipyard/platform/errors';
import { retryPassing, type Clock, type RetryOptions } from '@shipyard/platform/poll';

// Rollback, step 3 of 4 (target → resolve → start → watch): putting services back on a chosen revision. Stop the
// deployment in flight with ROLLBACK when that lands on the target (instant while both revisions run), otherwise
// UpdateService. Loads the ECS SDK: import lazily.

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
      targetGroupArns: targetGroupsOf(step.before?.loadBalancers),
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
    targetGroupArns: targetGroupsOf(step.before?.loadBalancers),
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

/** How one step's start ended: what to watch, or the error that kept it from starting. */
export type StartOutcome = { started: StartedRollback } | { error: unknown };

/** Starts every step at once (startRollback); a step whose start fails ends with its error, the others go on. */
export function startEveryRollback(
  ecs: ECSClient,
  cluster: string,
  steps: RollbackStep[],
  options: { signal?: AbortSignal; clock?: Clock } = {},
): Promise<StartOutcome[]> {
  return Promise.all(
    steps.map((step) =>
      startRollback(ecs, cluster, step, options).then(
        (started): StartOutcome => ({ started }),
        (error: unknown): StartOutcome => ({ error }),
      ),
    ),
  );
}
