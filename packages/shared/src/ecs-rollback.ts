import { StopServiceDeploymentCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { judgeDeployment, type DeploymentSnapshot, type DeploymentTarget, type Verdict } from './ecs-deployments';
import type { CurrentDeployment, RollbackMethod } from './ecs-rollback-target';
import { watchDeployments, type WatchOptions, type WatchedDeployment } from './ecs-watch';
import { isError } from './errors';

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

async function update(ecs: ECSClient, cluster: string, step: RollbackStep): Promise<StartedRollback> {
  const response = await ecs.send(
    new UpdateServiceCommand({ cluster, service: step.service, taskDefinition: step.taskDefinitionArn }),
  );
  return {
    method: 'update',
    target: {
      service: step.service,
      taskDefinitionArn: step.taskDefinitionArn,
      deploymentId: primaryDeploymentId(response.service),
      serviceDeploymentArn: response.service?.currentServiceDeployment,
    },
  };
}

/** Makes the one mutating call a step needs (none for `none` and `await`). */
export async function startRollback(ecs: ECSClient, cluster: string, step: RollbackStep): Promise<StartedRollback> {
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
      return update(ecs, cluster, step);
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
        // The deployment finished between the look and the stop: it can no longer be stopped, so deploy the target.
        if (isError(error) && error.name === 'ConflictException') return update(ecs, cluster, step);
        throw error;
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
  const results = await watchDeployments({
    ...options,
    waitingFor: options.waitingFor ?? 'the rollback',
    isSettled: (target) => (latest.get(target.service)?.verdict.state ?? 'in-progress') !== 'in-progress',
    onUpdate: (target, watched) => {
      const entry = judged(target, watched);
      latest.set(target.service, entry);
      options.onUpdate?.(target, entry);
    },
  });
  return new Map([...results].map(([service, watched]) => [service, judged(byService.get(service)!, watched)]));
}
