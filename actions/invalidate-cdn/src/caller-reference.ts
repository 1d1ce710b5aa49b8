import { createHash } from 'node:crypto';
import { byCodeUnit } from './paths';

/**
 * CloudFront treats a second CreateInvalidation with the same CallerReference and the same paths as the first one:
 * it returns the existing invalidation, creates nothing and bills nothing. Shipyard derives the reference from
 * what identifies "this step of this workflow run" plus the distribution and the sorted paths.
 *
 * Run attempt: GitHub's "Re-run jobs" / "Re-run failed jobs" keeps GITHUB_RUN_ID and increments
 * GITHUB_RUN_ATTEMPT, and a re-run deploys the same commit. That re-run is exactly the case the reference must
 * catch, so by default (`run` scope) the attempt is left out and a re-run gets the invalidation of the first
 * attempt back instead of paying again. Retries inside one attempt (SDK retries of a request whose answer was
 * lost, a retry wrapper running the step again) are caught in either scope. The `attempt` scope exists for the one
 * case where reuse is wrong: re-running an older run after a newer deployment has overwritten the origin, where
 * the older files must be invalidated again.
 *
 * Job and step (GITHUB_JOB, GITHUB_ACTION) are part of it so two steps of one run that invalidate the same paths
 * (e.g. deploy, invalidate, deploy again, invalidate again) stay two invalidations.
 */
export type IdempotencyScope = 'run' | 'attempt';

export interface RunIdentity {
  repository: string;
  runId: string;
  runAttempt: string;
  job: string;
  step: string;
  /** False outside GitHub Actions: runId is then a one-off value and nothing is reused. */
  fromGithub: boolean;
}

/** The identity of the running step, from the runner's environment; `nonce` stands in for a missing run id. */
export function runIdentity(env: NodeJS.ProcessEnv, nonce: () => string): RunIdentity {
  const runId = env.GITHUB_RUN_ID?.trim();
  return {
    repository: env.GITHUB_REPOSITORY?.trim() ?? '',
    runId: runId || `local-${nonce()}`,
    runAttempt: env.GITHUB_RUN_ATTEMPT?.trim() || '1',
    job: env.GITHUB_JOB?.trim() ?? '',
    step: env.GITHUB_ACTION?.trim() ?? '',
    fromGithub: Boolean(runId),
  };
}

/** `shipyard-<run id>-<32 hex digits>`: readable enough to find the run, unique to the batch. */
export function callerReference(
  distributionId: string,
  paths: readonly string[],
  run: RunIdentity,
  scope: IdempotencyScope,
): string {
  const sorted = [...paths].sort(byCodeUnit);
  const identity = [run.repository, run.runId, scope === 'attempt' ? run.runAttempt : '', run.job, run.step];
  // JSON keeps the parts apart: no separator inside a path can make two inputs hash alike.
  const digest = createHash('sha256')
    .update(JSON.stringify([distributionId, identity, sorted]))
    .digest('hex');
  return `shipyard-${run.runId}-${digest.slice(0, 32)}`;
}

/**
 * The reference to try after InvalidationBatchAlreadyExists (the reference is taken by a different batch), still
 * deterministic so a re-run walks the same sequence: `<reference>-2`, `<reference>-3`, …
 */
export function nextCallerReference(base: string, attempt: number): string {
  return attempt <= 1 ? base : `${base}-${attempt}`;
}
