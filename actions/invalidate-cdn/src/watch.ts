import * as core from '@shipyard/platform/core';
import { GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { formatDuration } from '@shipyard/platform/duration';
import { NEW_RESOURCE_PATIENCE_MS } from '@shipyard/platform/consistency';
import { DeploymentFailure, isAwsSdkError } from '@shipyard/platform/errors';
import { poll, PollTimeoutError } from '@shipyard/platform/poll';
import type { AwsContext, InvalidationRecord } from './submit';

export const COMPLETED = 'Completed';
/** Invalidations usually take from a few seconds to a few minutes. */
export const WATCH_INTERVALS = { minIntervalMs: 3_000, maxIntervalMs: 20_000 };

const pending = (records: InvalidationRecord[]) => records.filter((record) => record.status !== COMPLETED);

/**
 * Polls GetInvalidation for every invalidation not yet `Completed` until all are, updating each record's status
 * in place (so the summary shows the last known status even after a timeout). An invalidation just created may be
 * unknown to GetInvalidation for a short while (CloudFront is eventually consistent): NoSuchInvalidation before it
 * was ever seen is looked at again, for up to NEW_RESOURCE_PATIENCE_MS.
 */
export async function waitForCompletion(ctx: AwsContext, records: InvalidationRecord[]): Promise<void> {
  const seen = new Set<InvalidationRecord>();
  const unseenSince = new Map<InvalidationRecord, number>();
  const notShownYet = (record: InvalidationRecord, error: unknown) => {
    if (!isAwsSdkError(error) || error.name !== 'NoSuchInvalidation' || seen.has(record)) throw error;
    const since = unseenSince.get(record) ?? ctx.clock.now();
    unseenSince.set(record, since);
    const waited = ctx.clock.now() - since;
    if (waited >= NEW_RESOURCE_PATIENCE_MS) {
      throw new DeploymentFailure(
        `GetInvalidation still answers NoSuchInvalidation for ${record.id} (${record.distributionId}), which ` +
          `CreateInvalidation created, after ${formatDuration(waited)} of checks`,
        "CloudFront may still process it; check the distribution's invalidations in the console before re-running.",
      );
    }
    core.info(
      `${record.id} (${record.distributionId}): CloudFront does not show it yet (NoSuchInvalidation); looking again.`,
    );
  };
  try {
    await poll<number>({
      describe: async (signal) => {
        await Promise.all(
          pending(records).map(async (record) => {
            try {
              const { Invalidation: invalidation } = await ctx.api.send(
                new GetInvalidationCommand({ DistributionId: record.distributionId, Id: record.id }),
                { abortSignal: signal },
              );
              seen.add(record);
              record.status = invalidation?.Status ?? record.status;
            } catch (error) {
              notShownYet(record, error);
            }
          }),
        );
        return pending(records).length;
      },
      isDone: (left) => left === 0,
      fingerprint: (left) => left,
      timeoutMs: Math.max(0, ctx.deadline - ctx.clock.now()),
      signal: ctx.signal,
      clock: ctx.clock,
      ...WATCH_INTERVALS,
      waitingFor: 'the invalidations to reach Completed',
      onProgress: ({ state: left, nextPollInMs }) =>
        core.info(
          `${records.length - left} of ${records.length} invalidations completed; ` +
            `next check in ${formatDuration(nextPollInMs)}.`,
        ),
    });
    core.info(`All ${records.length} invalidation${records.length === 1 ? '' : 's'} completed.`);
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    const left = pending(records).map((record) => `${record.id} (${record.distributionId})`);
    throw new DeploymentFailure(
      `${error.message}; still in progress: ${left.join(', ')}`,
      'CloudFront keeps processing them after this step ends; nothing needs undoing. Raise "timeout", or set ' +
        '"wait: false" to return as soon as they are created.',
    );
  }
}
