import { judgeDeployment, type DeploymentSnapshot, type DeploymentTarget, type Verdict } from '../deployments';
import { watchDeployments, type WatchOptions, type WatchedDeployment, type WatchResult } from '../watch';
import { PollCancelledError, PollTimeoutError } from '@shipyard/platform/poll';

// Rollback, step 4 of 4 (target → resolve → start → watch): waiting until every service is back and judging it.
// Success means the service is stable on the target — which, unlike for a deploy, is also what a
// ROLLBACK_SUCCESSFUL deployment means. Loads the ECS SDK: import lazily.

/** Errors other than passing faults a rollback's watch goes on after, before it reports the rollback unconfirmed. */
const ROLLBACK_TOLERATED_ERRORS = 3;

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
    toleratedErrors: options.toleratedErrors ?? ROLLBACK_TOLERATED_ERRORS,
    isSettled: (target) => (latest.get(target.service)?.verdict.state ?? 'in-progress') !== 'in-progress',
    onUpdate: (target, watched) => {
      const entry = judged(target, watched);
      latest.set(target.service, entry);
      options.onUpdate?.(target, entry);
    },
  });
  return new Map([...results].map(([service, watched]) => [service, judged(byService.get(service)!, watched)]));
}

/** How a watch of rollbacks ended: every rollback settled, or the watch was cut short. */
export type RollbackWatchEnd =
  | { kind: 'settled' }
  | { kind: 'timed-out'; error: PollTimeoutError }
  | { kind: 'cancelled'; error: PollCancelledError }
  /** It went past passing faults and a few odd errors, then broke off. */
  | { kind: 'broken'; error: unknown };

export interface RollbacksWatched {
  /** Each service's last look, judged by judgeRollback; a service never described is absent. */
  last: WatchResult;
  end: RollbackWatchEnd;
}

/**
 * watchRollbacks until it ends, however it ends: a timeout, a cancellation or a broken watch is returned with the
 * last look at each service, so the caller can report every rollback (and then rethrow a cancellation).
 */
export async function watchRollbacksToEnd(options: RollbackWatchOptions): Promise<RollbacksWatched> {
  const last: WatchResult = new Map();
  try {
    const results = await watchRollbacks({
      ...options,
      onUpdate: (target, watched) => {
        last.set(target.service, watched);
        options.onUpdate?.(target, watched);
      },
    });
    return { last: results, end: { kind: 'settled' } };
  } catch (error) {
    if (error instanceof PollTimeoutError) return { last, end: { kind: 'timed-out', error } };
    if (error instanceof PollCancelledError) return { last, end: { kind: 'cancelled', error } };
    return { last, end: { kind: 'broken', error } };
  }
}
