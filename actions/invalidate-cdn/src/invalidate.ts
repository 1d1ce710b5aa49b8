import * as core from '@shipyard/platform/core';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { createClient } from '@shipyard/platform/aws';
import { DeploymentFailure, describeError } from '@shipyard/platform/errors';
import { group } from '@shipyard/platform/log';
import { systemClock } from '@shipyard/platform/poll';
import { runIdentity } from './caller-reference';
import { ACTION } from './constants';
import { resolveDistributions } from './distributions';
import type { ActionInputs } from './inputs';
import { submitBatches, type AwsContext } from './submit';
import type { Report } from './summary';
import { waitForCompletion } from './watch';

// CloudFront is a global service; its API lives in us-east-1 whatever region the workflow deploys to.
const CLOUDFRONT_REGION = 'us-east-1';

/**
 * The AWS phases, loaded only once the inputs are valid (this module pulls in the SDK): resolve the
 * distributions, create every batch, then wait for Completed unless told not to.
 */
export async function invalidate(inputs: ActionInputs, report: Report, signal: AbortSignal): Promise<void> {
  const api = createClient(CloudFrontClient, { action: ACTION, region: CLOUDFRONT_REGION });
  const startedAt = systemClock.now();
  const run = runIdentity(process.env, () => `${startedAt.toString(36)}${Math.random().toString(36).slice(2, 8)}`);
  if (!run.fromGithub) core.info('Not running in GitHub Actions (no GITHUB_RUN_ID): this run reuses nothing.');
  const ctx: AwsContext = {
    api,
    signal,
    clock: systemClock,
    deadline: startedAt + inputs.timeoutMs,
    startedAt,
    run,
    scope: inputs.scope,
  };

  const distributions = await group('Resolve distributions', () =>
    resolveDistributions(api, inputs.distributions, signal),
  );
  report.distributions = distributions;
  const { batches } = report.plan;
  await group(`Create invalidations (${batches.length} batch${batches.length === 1 ? '' : 'es'} each)`, async () => {
    // Distributions have separate in-flight windows, so they proceed side by side.
    const results = await Promise.allSettled(
      distributions.map((d) => submitBatches(ctx, d.id, batches, (record) => report.invalidations.push(record))),
    );
    const failed = distributions.flatMap((d, i) => {
      const result = results[i];
      return result.status === 'rejected' ? [`${d.id}: ${describeError(result.reason)}`] : [];
    });
    if (failed.length) throw notCreated(failed, report.invalidations);
  });
  if (!inputs.wait) {
    core.info('wait is false: not waiting for the invalidations to complete.');
    return;
  }
  await group('Wait for Completed', () => waitForCompletion(ctx, report.invalidations));
}

/** Names every distribution left without its invalidation, what was created anyway, and that a re-run is safe. */
function notCreated(failed: string[], created: Report['invalidations']): DeploymentFailure {
  const done = created.map((record) => `${record.distributionId} (${record.id})`);
  return new DeploymentFailure(
    `not invalidated: ${failed.join('; ')}` + (done.length ? `; created: ${done.join(', ')}` : ''),
    'Re-run the job to retry: a re-run gets the invalidations this run created back instead of creating them again.',
  );
}
